-- Schema version 4: indexed lookups for automated result imports, so that linking a result to
-- its test case is a query (constant memory whatever the size of the result file).
-- A plain index (not a partial one: a partial index makes SQLite re-prepare the statement at
-- every new bound value).
CREATE INDEX test_case_automation_key ON test_case(automation_key);
