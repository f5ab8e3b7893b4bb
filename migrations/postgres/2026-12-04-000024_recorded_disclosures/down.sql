DROP TABLE disclosure_records;
