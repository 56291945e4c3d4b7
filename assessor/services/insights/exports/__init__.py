"""The insights as files: an XLSX workbook with a sheet per view, each view as CSV, the EU
DMA correspondence as CSV, and the "cluster report" PDF for a board meeting.

Every file is built from the insights service's report (codes and counts) labelled in the
reader's language (``labels``), so that the workbook, the CSV files and the PDF say the
same thing: ``sheets`` lays the report out as tables, ``files`` writes them, and
``cluster_report`` renders the PDF. A hidden figure is an empty cell named in the row's
``hidden`` column, never 0.
"""
