-- Access for the analytics team.
USE ROLE SECURITYADMIN;

-- Clean: privileges go to roles.
GRANT USAGE ON DATABASE crm TO ROLE analyst;
GRANT USAGE ON SCHEMA crm.analytics TO ROLE analyst;
GRANT SELECT ON ALL VIEWS IN SCHEMA crm.analytics TO ROLE analyst;

-- Problem: a privilege granted straight to a person.
GRANT SELECT ON TABLE crm.core.customers TO USER jane_doe;

-- Problem: a role granted to a person in a migration, bypassing the identity provider.
GRANT ROLE pii_reader TO USER john_smith;
