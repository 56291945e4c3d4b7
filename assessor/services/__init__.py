"""Operations over the database: the only place where views' requests become writes."""
