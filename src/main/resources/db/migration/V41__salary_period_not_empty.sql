-- A salary period covers [from_date, to_date); one with from_date = to_date covers no day and says nothing, yet
-- V1's salaries_dates (to_date >= from_date) let the salary-record API store it. The rule is now that a period is
-- not empty. Expand/contract: the constraint keeps its name, so the previous version (which still validates only
-- "not before") translates the new refusal into the same 400 on toDate instead of an unexpected error; neither
-- version writes such periods any other way (a change or a termination on the day the current period began is
-- refused with 409 before it reaches the table). Rows that violate it cover no day, so removing them changes no
-- answer about any date. NOT VALID + VALIDATE: the ACCESS EXCLUSIVE lock of ADD CONSTRAINT is taken without
-- scanning; the scan of VALIDATE itself needs only SHARE UPDATE EXCLUSIVE (reads and writes continue).
DELETE FROM salaries WHERE to_date = from_date;
ALTER TABLE salaries DROP CONSTRAINT salaries_dates;
ALTER TABLE salaries ADD CONSTRAINT salaries_dates CHECK (to_date > from_date) NOT VALID;
ALTER TABLE salaries VALIDATE CONSTRAINT salaries_dates;
