-- Views for the analytics team.
USE ROLE SYSADMIN;
CREATE SCHEMA IF NOT EXISTS crm.analytics;

-- Problem: date of birth, postal code and gender together re-identify most people.
CREATE OR REPLACE SECURE VIEW crm.analytics.customer_profile AS
  WITH base AS (
    SELECT customer_id, date_of_birth, postal_code, gender
    FROM crm.core.customers
  )
  SELECT b.customer_id, b.date_of_birth AS dob, b.postal_code AS zip, b.gender
  FROM base b;

-- Clean: the same audience, reduced to a year of birth band and region.
CREATE OR REPLACE SECURE VIEW crm.analytics.customer_segments AS
  SELECT customer_id, LEFT(postal_code, 2) AS region, gender
  FROM crm.core.customers;
