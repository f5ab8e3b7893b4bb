//! The database connection pool under a server that goes away.

use diesel::prelude::*;

use crate::support::{TestApp, TestDatabase, postgres_url_or_skip};

#[test]
fn after_the_database_server_drops_every_connection_the_shop_serves_again_at_once() {
    let Some(pg) = postgres_url_or_skip(
        "after_the_database_server_drops_every_connection_the_shop_serves_again_at_once",
    ) else {
        return;
    };
    let database = TestDatabase::fresh_postgres(&pg);
    let TestDatabase::Postgres { name, .. } = &database else {
        unreachable!()
    };
    let name = name.clone();
    let app = TestApp::spawn_with_database(database, |s| s.db_pool_size = Some(3));
    // A status link that does not exist: one plain query per view (no transaction that could
    // mark a connection broken by itself), answered 404.
    let view = || {
        app.get("/bestelling/bestaat-niet-abcdefghijklmnop")
            .status()
            .as_u16()
    };
    // Three at once, so the pool holds three connections.
    std::thread::scope(|s| {
        let views: Vec<_> = (0..3).map(|_| s.spawn(view)).collect();
        for v in views {
            assert_eq!(v.join().unwrap(), 404);
        }
    });
    // A restart or failover: the server ends every connection of the shop's database.
    let mut admin = PgConnection::establish(&pg).unwrap();
    let ended: Vec<bool> = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
        "pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    )))
    .load(&mut admin)
    .unwrap();
    assert!(!ended.is_empty(), "the shop had connections to end");
    let statuses: Vec<u16> = (0..12).map(|_| view()).collect();
    let failed = statuses.iter().filter(|&&s| s != 404).count();
    assert!(
        failed <= 3,
        "each dead connection fails at most one request: {statuses:?}"
    );
    assert!(
        statuses[statuses.len() - 6..].iter().all(|&s| s == 404),
        "then every request is served: {statuses:?}"
    );
}
