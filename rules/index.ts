import type { Rule } from '../server/src/engine/rules/define';
import accountadminUse from './accountadmin-use';
import forbiddenProjection from './forbidden-projection';
import grantToUser from './grant-to-user';
import unmaskedPiiColumn from './unmasked-pii-column';
import unsafeStage from './unsafe-stage';

/** Every rule snowgov ships, by name. Each folder name equals its rule's name. */
export const allRules: readonly Rule[] = [
  grantToUser,
  accountadminUse,
  unmaskedPiiColumn,
  forbiddenProjection,
  unsafeStage,
];
