import type { Rule } from '../define-rule.js'
import { banAddColumnUnique } from './ban-add-column-unique.js'
import { banAddColumnVolatileDefault } from './ban-add-column-volatile-default.js'
import { banAddEnumValueInTransaction } from './ban-add-enum-value-in-transaction.js'
import { banAddExclusionConstraint } from './ban-add-exclusion-constraint.js'
import { banAlterColumnType } from './ban-alter-column-type.js'
import { banAlterDomainAddConstraint } from './ban-alter-domain-add-constraint.js'
import { banCharField } from './ban-char-field.js'
import { banCluster } from './ban-cluster.js'
import { banConcurrentlyInTransaction } from './ban-concurrently-in-transaction.js'
import { banCreateDomainWithConstraint } from './ban-create-domain-with-constraint.js'
import { banDeleteRows } from './ban-delete-rows.js'
import { banDropAddColumn } from './ban-drop-add-column.js'
import { banDropColumn } from './ban-drop-column.js'
import { banDropDatabase } from './ban-drop-database.js'
import { banDropNotNull } from './ban-drop-not-null.js'
import { banDropSchema } from './ban-drop-schema.js'
import { banDropTable } from './ban-drop-table.js'
import { banEnumRecreation } from './ban-enum-recreation.js'
import { banLockHeldAcrossSlowWork } from './ban-lock-held-across-slow-work.js'
import { banLockTable } from './ban-lock-table.js'
import { banNewEnumValueUse } from './ban-new-enum-value-use.js'
import { banRenameColumn } from './ban-rename-column.js'
import { banRenameEnumValue } from './ban-rename-enum-value.js'
import { banRenameSchema } from './ban-rename-schema.js'
import { banRenameTable } from './ban-rename-table.js'
import { banSetAccessMethod } from './ban-set-access-method.js'
import { banSetGeneratedExpression } from './ban-set-generated-expression.js'
import { banSetLogged } from './ban-set-logged.js'
import { banSetTablespace } from './ban-set-tablespace.js'
import { banTransactionNesting } from './ban-transaction-nesting.js'
import { banTruncate } from './ban-truncate.js'
import { banUncommittedTransaction } from './ban-uncommitted-transaction.js'
import { banVacuumFull } from './ban-vacuum-full.js'
import { banVacuumInTransaction } from './ban-vacuum-in-transaction.js'
import { preferBigintOverInt } from './prefer-bigint-over-int.js'
import { preferIdentity } from './prefer-identity.js'
import { preferJsonb } from './prefer-jsonb.js'
import { preferTextField } from './prefer-text-field.js'
import { preferTimestamptz } from './prefer-timestamptz.js'
import { requireAtomicPrismaMigration } from './require-atomic-prisma-migration.js'
import { requireBatchedUpdate } from './require-batched-update.js'
import { requireCheckForAttachPartition } from './require-check-for-attach-partition.js'
import { requireCheckForSetNotNull } from './require-check-for-set-not-null.js'
import { requireConcurrentDetachPartition } from './require-concurrent-detach-partition.js'
import { requireConcurrentDropIndex } from './require-concurrent-drop-index.js'
import { requireConcurrentIndex } from './require-concurrent-index.js'
import { requireConcurrentRefresh } from './require-concurrent-refresh.js'
import { requireConcurrentReindex } from './require-concurrent-reindex.js'
import { requireConstraintUsingIndex } from './require-constraint-using-index.js'
import { requireDefaultForNotNullColumn } from './require-default-for-not-null-column.js'
import { requireLockTimeoutForTrigger } from './require-lock-timeout-for-trigger.js'
import { requireLockTimeout } from './require-lock-timeout.js'
import { requireNotValidCheck } from './require-not-valid-check.js'
import { requireNotValidColumnReference } from './require-not-valid-column-reference.js'
import { requireNotValidForeignKey } from './require-not-valid-foreign-key.js'
import { requireStatementTimeout } from './require-statement-timeout.js'

/** Every rule, sorted by id. Add a rule: one file in this folder, one line here. */
export const RULES: readonly Rule[] = [
  banAddColumnUnique,
  banAddColumnVolatileDefault,
  banAddEnumValueInTransaction,
  banAddExclusionConstraint,
  banAlterColumnType,
  banAlterDomainAddConstraint,
  banCharField,
  banCluster,
  banConcurrentlyInTransaction,
  banCreateDomainWithConstraint,
  banDeleteRows,
  banDropAddColumn,
  banDropColumn,
  banDropDatabase,
  banDropNotNull,
  banDropSchema,
  banDropTable,
  banEnumRecreation,
  banLockHeldAcrossSlowWork,
  banLockTable,
  banNewEnumValueUse,
  banRenameColumn,
  banRenameEnumValue,
  banRenameSchema,
  banRenameTable,
  banSetAccessMethod,
  banSetGeneratedExpression,
  banSetLogged,
  banSetTablespace,
  banTransactionNesting,
  banTruncate,
  banUncommittedTransaction,
  banVacuumFull,
  banVacuumInTransaction,
  preferBigintOverInt,
  preferIdentity,
  preferJsonb,
  preferTextField,
  preferTimestamptz,
  requireAtomicPrismaMigration,
  requireBatchedUpdate,
  requireCheckForAttachPartition,
  requireCheckForSetNotNull,
  requireConcurrentDetachPartition,
  requireConcurrentDropIndex,
  requireConcurrentIndex,
  requireConcurrentRefresh,
  requireConcurrentReindex,
  requireConstraintUsingIndex,
  requireDefaultForNotNullColumn,
  requireLockTimeoutForTrigger,
  requireLockTimeout,
  requireNotValidCheck,
  requireNotValidColumnReference,
  requireNotValidForeignKey,
  requireStatementTimeout,
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) // ids are [a-z0-9-]: code-unit order, without loading ICU for localeCompare
