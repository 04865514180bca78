-- Platform bootstrap: roles, users and the role hierarchy.
-- Problem: the whole script runs as ACCOUNTADMIN although USERADMIN and SECURITYADMIN suffice.
USE ROLE ACCOUNTADMIN;

CREATE ROLE IF NOT EXISTS analyst;
CREATE ROLE IF NOT EXISTS pii_reader;
CREATE ROLE IF NOT EXISTS loader;
GRANT ROLE analyst TO ROLE sysadmin;
GRANT ROLE pii_reader TO ROLE sysadmin;
GRANT ROLE loader TO ROLE sysadmin;

-- Problem: a service user whose every session starts as ACCOUNTADMIN.
CREATE USER IF NOT EXISTS svc_dbt
  TYPE = SERVICE
  DEFAULT_ROLE = ACCOUNTADMIN
  RSA_PUBLIC_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAexample';

-- Clean: a working role by default.
CREATE USER IF NOT EXISTS svc_loader
  TYPE = SERVICE
  DEFAULT_ROLE = loader
  RSA_PUBLIC_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAexample2';
