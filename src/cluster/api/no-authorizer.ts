/**
 * The message of the SECURITY_DISABLED answer the ACL APIs (CreateAcls, DescribeAcls,
 * DeleteAcls) give when no authorizer is configured (authorizer.class.name unset), as Kafka
 * words it.
 */
export const NO_AUTHORIZER = 'No Authorizer is configured on the broker'
