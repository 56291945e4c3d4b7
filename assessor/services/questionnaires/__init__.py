"""Questionnaires in the database: what every server serves and each cluster offers
(``catalogue``), every content kept by what it says and the files of ``questionnaires/``
published at start (``versions``), a text checked and published from the browser
(``publishing``, ``drafts``), previews and what a cluster offers (``offer``), who may work on
one (``scope``), their translations made in the browser (``translations``) and a
questionnaire in the language it is shown in (``translated``)."""
