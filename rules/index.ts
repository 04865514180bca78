import type { Rule } from '../server/src/engine/rules/define';
import accountadminUse from './accountadmin-use';
import forbiddenProjection from './forbidden-projection';
import grantToUser from './grant-to-user';
import unmaskedPiiColumn from './unmasked-pii-column';
import staticCredential from './static-credential';
import wildcardStorageLocation from './wildcard-storage-location';
import unsafeAccountParameter from './unsafe-account-parameter';
import weakAuthenticationPolicy from './weak-authentication-policy';
import unmanagedSchema from './unmanaged-schema';
import maskingPolicyQuality from './masking-policy-quality';
import adminRoleGrant from './admin-role-grant';
import broadPrivilege from './broad-privilege';
import grantOption from './grant-option';
import grantToPublic from './grant-to-public';
import openNetworkPolicy from './open-network-policy';
import unsafeStage from './unsafe-stage';
import noRecoveryWindow from './no-recovery-window';
import cortexOpenToPublic from './cortex-open-to-public';
import piiToLlm from './pii-to-llm';
import unresolvedReference from './unresolved-reference';
import accountPosture from './account-posture';
import accountUnmaskedPii from './account-unmasked-pii';
import accountUserGrant from './account-user-grant';

/**
 * Every rule snowgov ships, by name. Each folder name equals its rule's name. The last four are
 * judged only by `snowgov check`, against a live account (their `live` says where they report).
 */
export const allRules: readonly Rule[] = [
  grantToUser,
  accountadminUse,
  unmaskedPiiColumn,
  forbiddenProjection,
  unsafeStage,
  staticCredential,
  openNetworkPolicy,
  grantToPublic,
  grantOption,
  broadPrivilege,
  adminRoleGrant,
  maskingPolicyQuality,
  unmanagedSchema,
  weakAuthenticationPolicy,
  unsafeAccountParameter,
  wildcardStorageLocation,
  noRecoveryWindow,
  cortexOpenToPublic,
  piiToLlm,
  unresolvedReference,
  accountPosture,
  accountUnmaskedPii,
  accountUserGrant,
];
