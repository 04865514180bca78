-- CRM tables. Runs as SYSADMIN, which owns databases and schema objects.
USE ROLE SYSADMIN;
CREATE DATABASE IF NOT EXISTS crm;
CREATE SCHEMA IF NOT EXISTS crm.core WITH MANAGED ACCESS;
CREATE SCHEMA IF NOT EXISTS crm.governance WITH MANAGED ACCESS;

CREATE MASKING POLICY IF NOT EXISTS crm.governance.mask_email AS (val VARCHAR) RETURNS VARCHAR ->
  CASE
    WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val
    ELSE REGEXP_REPLACE(val, '^[^@]+', '*****')
  END;

CREATE OR REPLACE TABLE crm.core.customers (
  customer_id NUMBER(38, 0) NOT NULL,
  -- Clean: masked where it is defined.
  email VARCHAR(320) WITH MASKING POLICY crm.governance.mask_email,
  -- Problem: a phone number that no policy will ever mask.
  phone_number VARCHAR(32),
  -- Masked in V1.2.0 below, so no finding here.
  full_name VARCHAR(200),
  date_of_birth DATE,
  postal_code VARCHAR(10),
  gender VARCHAR(16),
  -- Look-alike names that are not personal data.
  email_opt_in_at TIMESTAMP_NTZ,
  phone_verified BOOLEAN,
  created_at TIMESTAMP_NTZ DEFAULT CURRENT_TIMESTAMP()
);
