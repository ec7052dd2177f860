-- sample migration with known flaws
CREATE TABLE customer (
    id INTEGER PRIMARY KEY,
    full_name TEXT
);

CREATE TABLE OrderLine (
    order_id INTEGER,
    Amount NUMERIC
);

SELECT * FROM customer;

SELECT count(*) FROM customer;

DROP TABLE legacy_orders;

ALTER TABLE customer DROP COLUMN full_name;

TRUNCATE TABLE audit_log;

SELECT (id FROM customer;
