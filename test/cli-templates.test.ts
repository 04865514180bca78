/**
 * `snowgov lint` over templated migrations, as the bundled CLI runs in CI: schemachange (Jinja),
 * Flyway, SnowSQL and Snowflake CLI placeholders are read as names, so the rules fire on them.
 * The account check, which compares names with what the account holds, leaves them alone.
 */
import assert from 'node:assert/strict';
import { allRules } from '../rules';
import { Workspace } from '../server/src/engine';
import { type AccountState, unresolvedReferences } from '../server/src/engine/account-state';
import { removeTempProjects, spawnCli, tempProject } from './helpers/cli';

const MIGRATIONS = {
  'schemachange/V1.1.0__people.sql':
    '{% if env == "prod" %}\n' +
    'CREATE TABLE {{ database }}.core.people (id NUMBER, email VARCHAR);\n' +
    '{% endif %}\n' +
    '{# The grants of each environment come from the template. #}\n' +
    '{{ extra_grants }};\n' +
    'GRANT SELECT ON TABLE {{ database }}.core.people TO USER {{ analyst }};\n',
  'flyway/V2__customers.sql':
    'CREATE TABLE ${database}.core.customers (id NUMBER);\n' +
    'ALTER TABLE ${database}.core.customers ADD COLUMN a1 VARCHAR, phone VARCHAR;\n' +
    'GRANT SELECT ON TABLE ${database}.core.customers TO USER ${user};\n',
  'snowsql/setup.sql':
    '!set variable_substitution=true\n' +
    'USE DATABASE &db;\n' +
    'CREATE TABLE core.accounts (id NUMBER, iban VARCHAR);\n' +
    'GRANT ROLE &{env}_analyst TO USER &user;\n',
  'snowcli/setup.sql':
    'CREATE TABLE <% ctx.env.database %>.core.leads (id NUMBER, email VARCHAR);\n' +
    'GRANT SELECT ON TABLE <% ctx.env.database %>.core.leads TO USER <% ctx.env.user %>;\n',
};

/** `path:line:column  rule` for each finding of the text output. */
function findingsOf(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => /^(\S+:\d+:\d+) {2}\w+ {2}(\S+) {2}/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => `${match[1]}  ${match[2]}`);
}

describe('snowgov lint on templated migrations', () => {
  after(removeTempProjects);

  it('reports the findings of every template dialect, and says which statement it cannot read', () => {
    const root = tempProject(MIGRATIONS);

    const result = spawnCli(root, 'lint', '.');

    assert.equal(result.status, 1, result.stderr);
    assert.deepEqual(findingsOf(result.stdout), [
      'flyway/V2__customers.sql:2:63  unmasked-pii-column',
      'flyway/V2__customers.sql:3:53  grant-to-user',
      'schemachange/V1.1.0__people.sql:2:53  unmasked-pii-column',
      'schemachange/V1.1.0__people.sql:5:1  parse-error',
      'schemachange/V1.1.0__people.sql:6:53  grant-to-user',
      'snowcli/setup.sql:1:60  unmasked-pii-column',
      'snowcli/setup.sql:2:60  grant-to-user',
      'snowsql/setup.sql:3:40  unmasked-pii-column',
      'snowsql/setup.sql:4:30  grant-to-user',
    ]);
    assert.match(result.stdout, /Column EMAIL of \{\{ database \}\}\.CORE\.PEOPLE holds/);
    assert.match(result.stdout, /to user <% ctx\.env\.user %>\./);
    assert.match(result.stdout, /'\{\{ extra_grants \}\}' stands for the whole statement/);
  });

  it('leaves names the template renders out of the account check, judging the others', () => {
    const state: AccountState = {
      ...{ policies: [], tags: [], policyReferences: [], tagReferences: [], roles: [] },
      ...{ users: [], stages: [], integrations: [], accountAdmins: [], parameters: {} },
      ...{ columns: [], userGrants: [], userRoles: [], roleGrants: [] },
      ...{ warehouses: ['WH'], tables: ['DB.S.T'] },
    };
    const workspace = new Workspace(allRules);
    workspace.setFile(
      'V1__grants.sql',
      'USE WAREHOUSE missing_wh;\nUSE WAREHOUSE &{wh};\nUSE DATABASE {{ db }};\n' +
        'GRANT SELECT ON TABLE s.t TO ROLE {{ env }}_analyst;\n' +
        'ALTER TABLE ${db}.s.t MODIFY COLUMN c SET MASKING POLICY ${db}.g.m;',
    );
    const analysis = workspace.analyze();

    assert.deepEqual(
      unresolvedReferences(analysis.files, analysis.catalog, state).map((f) => f.message),
      [
        'Warehouse MISSING_WH is defined neither by the migrations nor in the account; the ' +
          'statement will fail there. Create it in an earlier migration or fix the name.',
      ],
    );
  });
});
