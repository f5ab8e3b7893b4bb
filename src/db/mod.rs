//! The database: one connection type over SQLite and PostgreSQL, chosen at run time from the URL,
//! an r2d2 pool, `Db::run` to use it from async handlers, and the embedded migrations.

mod observe;
pub mod schema;

use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{self, R2D2Connection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::AppError;

diesel::define_sql_function! {
    /// SQL `lower(text)`, for comparing addresses however they were typed (both backends).
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// A connection to either backend. Queries written against it run on both.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    /// PostgreSQL, the scale path.
    Pg(PgConnection),
    /// SQLite, the embedded default.
    Sqlite(SqliteConnection),
}

/// Which database engine a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// A parsed `DATABASE_URL`. Its `Debug` output hides passwords.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL.
    Postgres(String),
}

impl DatabaseUrl {
    /// Parses `postgres://…`, `postgresql://…`, `sqlite://PATH`, `sqlite:PATH` or a bare file
    /// path. The error is one sentence naming `DATABASE_URL`.
    pub fn parse(url: &str) -> Result<DatabaseUrl, String> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // Without a limit libpq waits minutes for a server that does not answer.
            let url = if url.contains("connect_timeout=") {
                url.to_owned()
            } else if url.contains('?') {
                format!("{url}&connect_timeout=5")
            } else {
                format!("{url}?connect_timeout=5")
            };
            return Ok(DatabaseUrl::Postgres(url));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .or_else(|| (!url.contains(':')).then_some(url));
        match path {
            Some("") => Err("DATABASE_URL names no SQLite file; use sqlite://PATH.".into()),
            Some(p) if p.contains(":memory:") || p.starts_with("file:") => Err(format!(
                "DATABASE_URL `{url}` is not supported: an in-memory SQLite database is not \
                 shared between connections; use a file, e.g. sqlite://data/bloei.db."
            )),
            Some(p) => Ok(DatabaseUrl::Sqlite(PathBuf::from(p))),
            None => {
                let scheme = url.split(':').next().unwrap_or_default();
                Err(format!(
                    "DATABASE_URL has the unknown scheme `{scheme}`; use postgres://USER:PASSWORD@HOST/DATABASE or sqlite://PATH."
                ))
            }
        }
    }

    /// The backend this URL selects.
    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }

    /// The URL with any password replaced by `***`, safe to print and log.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => redact_password(url),
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// Hides the password in `user:password@` and in a `password=` query parameter.
fn redact_password(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let base = match base.split_once("://") {
        Some((scheme, rest)) => match rest.rsplit_once('@') {
            Some((userinfo, host)) => match userinfo.split_once(':') {
                Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
                None => base.to_owned(),
            },
            None => base.to_owned(),
        },
        None => base.to_owned(),
    };
    match query {
        None => base,
        Some(query) => {
            let params: Vec<String> = query
                .split('&')
                .map(|param| match param.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                    _ => param.to_owned(),
                })
                .collect();
            format!("{base}?{}", params.join("&"))
        }
    }
}

/// Opens connections of the backend the URL names. Diesel's own `MultiConnection::establish`
/// tries each backend in turn and hides the real error (a wrong password shows as "invalid
/// URL"), so the backend is picked here from the scheme.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl ConnectionManager {
    /// A manager for `url`.
    pub fn new(url: DatabaseUrl) -> Self {
        ConnectionManager { url }
    }

    /// Opens one connection, with the SQLite pragmas applied.
    pub fn open(&self) -> Result<DbConn, ConnectionError> {
        match &self.url {
            DatabaseUrl::Postgres(url) => PgConnection::establish(url).map(DbConn::Pg),
            DatabaseUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())?;
                let fail = |e: diesel::result::Error| ConnectionError::BadConnection(e.to_string());
                // busy_timeout must come before journal_mode, or connections opened at the same
                // moment fail with "database is locked" while switching to WAL.
                conn.batch_execute("PRAGMA busy_timeout = 5000;")
                    .map_err(fail)?;
                enable_wal(&mut conn).map_err(fail)?;
                // secure_delete: what a DELETE or UPDATE frees is overwritten with zeros, so
                // erased personal data does not linger in free pages of the file (P5, P9).
                conn.batch_execute(
                    "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                     PRAGMA secure_delete = ON;",
                )
                .map_err(fail)?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }
}

/// After personal data was deleted or overwritten in `tables`: makes its old bytes unreachable
/// in the database's own files. On SQLite the write-ahead log, which still holds the old page
/// images, is checkpointed into the (secure-delete) main file and truncated; on PostgreSQL the
/// tables are vacuumed, so the dead row versions are pruned from their pages. Runs outside a
/// transaction; a checkpoint that a long reader blocks is finished by a later one.
pub fn scrub(conn: &mut DbConn, tables: &[&str]) -> QueryResult<()> {
    match conn {
        DbConn::Sqlite(c) => c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);"),
        // Table names come from the code, never from input.
        DbConn::Pg(c) => c.batch_execute(&format!("VACUUM {}", tables.join(", "))),
    }
}

/// Switches a SQLite database to WAL (a persistent setting, so only the very first connection to
/// a new file changes anything). Switching needs a moment of exclusive access, and SQLite answers
/// "locked" at once instead of waiting while another connection writes, so it is retried for up
/// to five seconds, like any other statement under `busy_timeout`.
fn enable_wal(conn: &mut SqliteConnection) -> QueryResult<()> {
    let mut attempts = 0;
    loop {
        match conn.batch_execute("PRAGMA journal_mode = WAL;") {
            Err(e) if attempts < 100 && e.to_string().contains("locked") => {
                attempts += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        self.open().map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.ping().map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        // A connection given back mid-transaction (after a panic) must not be reused.
        std::thread::panicking() || conn.is_broken()
    }
}

/// The connection pool type.
pub type Pool = r2d2::Pool<ConnectionManager>;

/// The migrations for SQLite, embedded in the binary.
pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
/// The migrations for PostgreSQL, embedded in the binary.
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// The application's database handle: a pool plus the backend it talks to. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    backend: Backend,
    manager: ConnectionManager,
}

impl Db {
    /// Connects to `url`: one connection first, so a wrong URL, an unreachable server or a bad
    /// password is reported at once with the real cause, then the pool.
    pub fn connect(url: &DatabaseUrl, pool_size: u32) -> Result<Db, String> {
        if let DatabaseUrl::Sqlite(path) = url
            && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|e| {
                format!(
                    "DATABASE_URL {}: cannot create its directory: {e}.",
                    url.redacted()
                )
            })?;
        }
        let manager = ConnectionManager::new(url.clone());
        manager.open().map_err(|e| {
            // libpq explains over several lines; the operator gets one sentence.
            let cause = e
                .to_string()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let cause = cause.trim_end_matches(['.', '?']);
            format!("DATABASE_URL {} cannot be opened: {cause}.", url.redacted())
        })?;
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(5))
            // No test query before every use (a round trip per request): a connection is checked
            // after a failure instead (see `run`), so a server restart costs at most one failed
            // request per pooled connection (tests/app/database.rs).
            .test_on_check_out(false)
            .event_handler(Box::new(observe::PoolEvents))
            .build(manager.clone())
            .map_err(|e| format!("DATABASE_URL {}: {e}.", url.redacted()))?;
        Ok(Db {
            pool,
            manager,
            backend: url.backend(),
        })
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool itself, for tests and commands.
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// A pooled connection, waiting at most the pool's timeout.
    pub fn conn(&self) -> Result<r2d2::PooledConnection<ConnectionManager>, AppError> {
        self.pool
            .get()
            .map_err(|e| AppError::Unavailable(e.to_string()))
    }

    /// Runs `f` with a pooled connection on actix's blocking thread pool, carrying the current
    /// tracing span along so its logs stay tied to the request.
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    {
        let db = self.clone();
        let span = tracing::Span::current();
        actix_web::web::block(move || {
            let _entered = span.enter();
            db.query(f)
        })
        .await?
    }

    /// Runs `f` with a pooled connection on the current thread (inside [`Db::with_pool`]).
    pub fn query<T>(
        &self,
        f: impl FnOnce(&mut DbConn) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut conn = self.conn()?;
        let result = f(&mut conn);
        if matches!(result, Err(AppError::Internal(_))) && conn.ping().is_err() {
            // The server went away (a restart, a failover): replace the dead connection so
            // the pool does not hand it out again. If that fails too, the next use retries.
            if let Ok(fresh) = self.manager.open() {
                *conn = fresh;
            }
        }
        result
    }

    /// Runs `f` on actix's blocking thread pool with the pool itself rather than one connection,
    /// for a use case with CPU-heavy work between its queries (a password hash): `f` takes a
    /// connection (`Db::conn`) for each query and gives it back before the heavy part, so the
    /// work holds no connection, yet the whole use case is one trip to the blocking pool.
    pub async fn with_pool<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Db) -> Result<T, AppError> + Send + 'static,
    {
        let db = self.clone();
        let span = tracing::Span::current();
        actix_web::web::block(move || {
            let _entered = span.enter();
            f(&db)
        })
        .await?
    }

    /// Applies every pending migration of this backend; applying them again changes nothing.
    /// Returns the versions applied now.
    pub fn migrate(&self) -> Result<Vec<String>, String> {
        let mut conn = self.conn().map_err(|e| e.to_string())?;
        run_migrations(&mut conn)
    }
}

/// How many of the binary's migrations the database has not applied (an instance newer than its
/// database should not take traffic).
pub fn pending_migrations(conn: &mut DbConn) -> Result<usize, String> {
    let migrations = match conn {
        DbConn::Pg(_) => POSTGRES_MIGRATIONS,
        DbConn::Sqlite(_) => SQLITE_MIGRATIONS,
    };
    conn.pending_migrations(migrations)
        .map(|pending| pending.len())
        .map_err(|e| format!("cannot read the applied migrations: {e}"))
}

/// The migrations the database has applied that this binary does not know (a database made by
/// a newer Bloei).
pub fn unknown_migrations(conn: &mut DbConn) -> Result<Vec<String>, String> {
    use diesel::migration::MigrationSource;
    let known: Vec<String> = match conn {
        DbConn::Pg(_) => MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES_MIGRATIONS)
            .map_err(|e| e.to_string())?
            .iter()
            .map(|m| m.name().version().to_string())
            .collect(),
        DbConn::Sqlite(_) => {
            MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS)
                .map_err(|e| e.to_string())?
                .iter()
                .map(|m| m.name().version().to_string())
                .collect()
        }
    };
    let applied = conn
        .applied_migrations()
        .map_err(|e| format!("cannot read the applied migrations: {e}"))?;
    Ok(applied
        .iter()
        .map(ToString::to_string)
        .filter(|v| !known.contains(v))
        .collect())
}

/// Applies the pending migrations of the connection's backend, under the start-up lock so
/// instances starting together do not run them twice.
pub fn run_migrations(conn: &mut DbConn) -> Result<Vec<String>, String> {
    let migrations = match conn {
        DbConn::Pg(_) => POSTGRES_MIGRATIONS,
        DbConn::Sqlite(_) => SQLITE_MIGRATIONS,
    };
    with_startup_lock(conn, |conn| {
        conn.run_pending_migrations(migrations)
            .map(|versions| versions.iter().map(ToString::to_string).collect())
            .map_err(|e| format!("migrations failed: {e}"))
    })
}

/// Key of the PostgreSQL advisory lock held while migrating and seeding ("bloei" in ASCII).
const STARTUP_LOCK: i64 = 0x0062_6c6f_6569;

/// Runs `f` while holding a database-wide lock, so several instances (or threads) starting at
/// once take turns at start-up work instead of running the same migration twice. PostgreSQL: an
/// advisory lock, released when `f` returns or the connection drops. SQLite: one `BEGIN
/// IMMEDIATE` transaction around all of `f`, which other writers wait for.
pub fn with_startup_lock<T>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> Result<T, String>,
) -> Result<T, String> {
    struct Failed(String);
    impl From<diesel::result::Error> for Failed {
        fn from(e: diesel::result::Error) -> Self {
            Failed(e.to_string())
        }
    }
    if let DbConn::Sqlite(_) = conn {
        return conn
            .write_tx(|conn| f(conn).map_err(Failed))
            .map_err(|Failed(e)| e);
    }
    conn.batch_execute(&format!("SELECT pg_advisory_lock({STARTUP_LOCK})"))
        .map_err(|e| format!("cannot take the start-up lock: {e}"))?;
    let result = f(conn);
    let unlocked = conn.batch_execute(&format!("SELECT pg_advisory_unlock({STARTUP_LOCK})"));
    if let Err(e) = unlocked {
        tracing::warn!(error = %e, "could not release the start-up lock");
    }
    result
}

/// A fact recorded about this database in `app_meta`.
pub fn meta(conn: &mut DbConn, key: &str) -> QueryResult<Option<String>> {
    use schema::app_meta;
    app_meta::table
        .filter(app_meta::key.eq(key))
        .select(app_meta::value)
        .first(conn)
        .optional()
}

/// Records a fact about this database in `app_meta`, replacing an earlier value.
pub fn set_meta(conn: &mut DbConn, key: &str, value: &str) -> QueryResult<()> {
    use schema::app_meta;
    let updated = diesel::update(app_meta::table.filter(app_meta::key.eq(key)))
        .set(app_meta::value.eq(value))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(app_meta::table)
            .values((app_meta::key.eq(key), app_meta::value.eq(value)))
            .execute(conn)?;
    }
    Ok(())
}

/// The current UTC time truncated to whole microseconds, the precision both backends store, so a
/// value written and read back compares equal on SQLite and PostgreSQL.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let now = chrono::Utc::now().naive_utc();
    now.with_nanosecond(now.nanosecond() / 1_000 * 1_000)
        .unwrap_or(now)
}

fn in_transaction(conn: &mut SqliteConnection) -> QueryResult<bool> {
    let depth = AnsiTransactionManager::transaction_manager_status_mut(conn).transaction_depth()?;
    Ok(depth.is_some())
}

impl DbConn {
    /// Runs `f` in a write transaction: `BEGIN IMMEDIATE` on SQLite (takes the write lock up
    /// front, so two writers wait for each other instead of failing on upgrade), a normal
    /// transaction on PostgreSQL. Commits on `Ok`, rolls back on `Err`.
    pub fn write_tx<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        let outermost_sqlite = match self {
            DbConn::Sqlite(c) => !in_transaction(c)?,
            DbConn::Pg(_) => false,
        };
        match self {
            DbConn::Sqlite(c) if outermost_sqlite => {
                AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
            }
            // PostgreSQL, or a nested call (a savepoint inside the outer transaction).
            _ => <DbConn as Connection>::TransactionManager::begin_transaction(self)?,
        }
        match f(self) {
            Ok(value) => {
                <DbConn as Connection>::TransactionManager::commit_transaction(self)?;
                Ok(value)
            }
            Err(e) => {
                // The caller's error says what went wrong; a failed rollback only adds that the
                // connection is now unusable (r2d2 then discards it as broken).
                if let Err(rollback) =
                    <DbConn as Connection>::TransactionManager::rollback_transaction(self)
                {
                    tracing::error!(error = %rollback, "rollback failed");
                }
                Err(e)
            }
        }
    }

    /// Runs `f` in a read-only transaction that sees one consistent state of the database
    /// (SQLite's WAL snapshot; REPEATABLE READ on PostgreSQL), so several queries that belong
    /// together cannot observe a write that lands between them.
    pub fn read_tx<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        self.transaction(|conn| {
            if let DbConn::Pg(_) = conn {
                conn.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
            }
            f(conn)
        })
    }

    /// The backend of this connection.
    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Pg(_) => Backend::Postgres,
            DbConn::Sqlite(_) => Backend::Sqlite,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_select_the_backend_by_scheme() {
        assert_eq!(
            DatabaseUrl::parse("postgres://u:p@localhost/db")
                .unwrap()
                .backend(),
            Backend::Postgres
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://localhost/db")
                .unwrap()
                .backend(),
            Backend::Postgres
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/bloei.db").unwrap(),
            DatabaseUrl::Sqlite("data/bloei.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:/tmp/x.db").unwrap(),
            DatabaseUrl::Sqlite("/tmp/x.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("./shop.db").unwrap(),
            DatabaseUrl::Sqlite("./shop.db".into())
        );
    }

    #[test]
    fn an_unknown_scheme_is_refused_with_the_setting_named() {
        let err = DatabaseUrl::parse("mysql://root@localhost/shop").unwrap_err();
        assert!(
            err.starts_with("DATABASE_URL has the unknown scheme `mysql`"),
            "{err}"
        );
    }

    #[test]
    fn an_in_memory_sqlite_database_is_refused() {
        assert!(DatabaseUrl::parse("sqlite::memory:").is_err());
    }

    #[test]
    fn passwords_never_appear_in_printed_urls() {
        let url = DatabaseUrl::parse("postgres://bloei:s3cret@db.internal:5432/shop").unwrap();
        assert_eq!(
            url.redacted(),
            "postgres://bloei:***@db.internal:5432/shop?connect_timeout=5"
        );
        let url =
            DatabaseUrl::parse("postgres://db.internal/shop?user=bloei&password=s3cret").unwrap();
        assert!(!url.redacted().contains("s3cret"), "{}", url.redacted());
        assert!(!format!("{url:?}").contains("s3cret"));
    }

    #[test]
    fn a_postgres_url_gets_a_connect_timeout_unless_it_has_one() {
        let DatabaseUrl::Postgres(url) =
            DatabaseUrl::parse("postgres://h/db?connect_timeout=2").unwrap()
        else {
            panic!("postgres");
        };
        assert_eq!(url, "postgres://h/db?connect_timeout=2");
    }
}
