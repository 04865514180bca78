import assert from 'node:assert/strict';
import { allRules } from '../rules';
import { Workspace } from '../server/src/engine';
import { Classifier } from '../server/src/engine/model/classify';

const classifier = new Classifier();

function categoryOf(name: string): string | undefined {
  return classifier.classify({ name, tags: new Map() })?.category;
}

/** The unmasked-pii-column findings of one file, as "COLUMN: first fix title". */
function piiFindings(sql: string): string[] {
  const workspace = new Workspace(allRules);
  workspace.setFile('V1__t.sql', sql);
  const findings = workspace.analyze().findings.get('V1__t.sql') ?? [];

  return findings
    .filter((finding) => finding.ruleId === 'unmasked-pii-column')
    .map((finding) => `${/^Column (\S+)/.exec(finding.message)?.[1]}: ${finding.fixes[0]?.title}`);
}

describe('classification by column name', () => {
  it('files IP and MAC addresses as online identifiers, not street addresses', () => {
    for (const name of ['ip_address', 'ip_addr', 'ipaddress', 'IpAddress', 'ipv6_address']) {
      assert.equal(categoryOf(name), 'ip_address', name);
    }
    for (const name of ['client_ip', 'remote_addr', 'last_login_ip']) {
      assert.equal(categoryOf(name), 'ip_address', name);
    }
    for (const name of ['mac_address', 'macaddress', 'device_mac_addr']) {
      assert.equal(categoryOf(name), 'mac_address', name);
    }
  });

  it('does not take wallet, web and server addresses for where someone lives', () => {
    for (const name of ['wallet_address', 'web_address', 'server_address', 'contract_address']) {
      assert.equal(categoryOf(name), undefined, name);
    }
    for (const name of ['address', 'home_address', 'billing_addr', 'address_line_2', 'street']) {
      assert.equal(categoryOf(name), 'street_address', name);
    }
    assert.equal(categoryOf('email_address'), 'email');
  });

  it('reads names of people by their role, but not a bare name or a thing’s name', () => {
    for (const name of ['customer_name', 'patient_name', 'full_name', 'employee_name']) {
      assert.equal(categoryOf(name), 'person_name', name);
    }
    for (const name of ['name', 'company_name', 'product_name', 'table_name', 'user_name']) {
      assert.equal(categoryOf(name), undefined, name);
    }
  });

  it('leaves a bank’s public identifiers alone but not the account itself', () => {
    assert.equal(categoryOf('routing_number'), undefined);
    assert.equal(categoryOf('sort_code'), undefined);
    assert.equal(categoryOf('iban'), 'bank_account');
    assert.equal(categoryOf('bank_account_number'), 'bank_account');
  });

  it('puts the user’s own categories before the built-in ones', () => {
    const custom = new Classifier({
      categories: [{ id: 'device_id', namePatterns: ['^mac_address$'] }],
    });
    const category = custom.classify({ name: 'mac_address', tags: new Map() })?.category;
    assert.equal(category, 'device_id');
  });

  it('creates masking policies named for the new categories', () => {
    const sql = [
      'CREATE TABLE crm.core.sessions (',
      '  id NUMBER, ip_address VARCHAR, mac_address VARCHAR, routing_number VARCHAR',
      ');',
    ].join('\n');
    assert.deepEqual(piiFindings(sql), [
      'IP_ADDRESS: Create masking policy CRM.CORE.MASK_IP_ADDRESS_VARCHAR and attach it inline',
      'MAC_ADDRESS: Create masking policy CRM.CORE.MASK_MAC_ADDRESS_VARCHAR and attach it inline',
    ]);
  });

  it('does not reuse a street address policy for a MAC address', () => {
    const sql = [
      'CREATE MASKING POLICY crm.core.mask_address AS (val VARCHAR) RETURNS VARCHAR ->',
      "  CASE WHEN IS_ROLE_IN_SESSION('PII_READER') THEN val ELSE '*****' END;",
      'CREATE TABLE crm.core.devices (id NUMBER, mac_address VARCHAR, home_address VARCHAR);',
    ].join('\n');
    assert.deepEqual(piiFindings(sql), [
      'MAC_ADDRESS: Create masking policy CRM.CORE.MASK_MAC_ADDRESS_VARCHAR and attach it inline',
      'HOME_ADDRESS: Attach masking policy CRM.CORE.MASK_ADDRESS inline',
    ]);
  });
});
