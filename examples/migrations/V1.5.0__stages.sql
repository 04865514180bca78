-- Data exchange with partners.
USE ROLE SYSADMIN;
CREATE SCHEMA IF NOT EXISTS crm.exchange;

-- Clean: the integration holds the cloud identity; the stage only names it.
CREATE STAGE IF NOT EXISTS crm.exchange.partner_drop
  URL = 's3://acme-partner-exchange/crm/'
  STORAGE_INTEGRATION = partner_exchange_int
  FILE_FORMAT = (TYPE = PARQUET);

-- Problem: cloud keys written into the migration (these are documentation placeholders).
CREATE STAGE IF NOT EXISTS crm.exchange.legacy_drop
  URL = 's3://acme-legacy-exports/crm/'
  CREDENTIALS = (AWS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE' AWS_SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');

-- Problem: customers' personal data unloaded to a partner's bucket.
COPY INTO @crm.exchange.partner_drop/customers/
  FROM crm.core.customers
  FILE_FORMAT = (TYPE = PARQUET);

-- Problem: an unload to a location named inline, outside any stage.
COPY INTO 's3://acme-adhoc-exports/segments/'
  FROM crm.analytics.customer_segments
  STORAGE_INTEGRATION = partner_exchange_int;

-- Clean: only aggregates leave the account.
COPY INTO @crm.exchange.partner_drop/monthly_signups/
  FROM (
    SELECT DATE_TRUNC('MONTH', created_at) AS signup_month, COUNT(*) AS new_customers
    FROM crm.core.customers
    GROUP BY 1
  );
