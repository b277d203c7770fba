/**
 * Read replicas: read-only transactions ({@code @Transactional(readOnly = true)}) run on PostgreSQL hot standbys,
 * everything else on the primary. Active only when {@code employee-mgmt.datasource.read-replicas.urls} lists at least
 * one standby; without it the application has Spring Boot's single datasource, as before.
 *
 * <p>{@link ReplicaTransactionLifecycle} (called by the platform's one transaction manager) tells the {@link ReplicaRoutingDataSource}
 * whether a beginning transaction is read-only; read-only ones get their connection from the {@link ReplicaRouter},
 * which skips standbys that are unreachable or lag beyond {@code max-lag} ({@link ReplicaMonitor}) and, for a caller
 * who wrote recently, standbys that have not replayed that write yet ({@link ReadYourWrites}); the primary serves
 * what no standby can. Readiness and the {@code db} health check look at the primary only.
 * docs/operations/read-replicas.md has the design and the operator's view.
 */
@NullMarked
package io.employeemgmt.platform.replica;

import org.jspecify.annotations.NullMarked;
