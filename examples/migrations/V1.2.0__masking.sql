-- Masking added after the fact: this clears the finding on full_name in V1.1.0.
USE ROLE SYSADMIN;

CREATE MASKING POLICY IF NOT EXISTS crm.governance.mask_string AS (val VARCHAR) RETURNS VARCHAR ->
  CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '*****' END;

CREATE MASKING POLICY IF NOT EXISTS crm.governance.mask_birth_date AS (val DATE) RETURNS DATE ->
  CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE DATE_TRUNC('YEAR', val) END;

ALTER TABLE crm.core.customers MODIFY
  COLUMN full_name SET MASKING POLICY crm.governance.mask_string;

-- Tag-based masking: every column tagged pii_type gets a policy of its type.
CREATE TAG IF NOT EXISTS crm.governance.pii_type ALLOWED_VALUES 'address', 'national_id';
ALTER TAG crm.governance.pii_type SET MASKING POLICY crm.governance.mask_string;

CREATE TABLE IF NOT EXISTS crm.core.customer_addresses (
  customer_id NUMBER(38, 0) NOT NULL,
  -- Clean: masked through the tag.
  street_address VARCHAR(400) WITH TAG (crm.governance.pii_type = 'address'),
  city VARCHAR(100),
  -- Problem: a national identifier with neither a policy nor a tag.
  ssn VARCHAR(11)
);
