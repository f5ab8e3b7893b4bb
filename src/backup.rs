//! `bloei backup`, `bloei restore` and `bloei replay-erasures` (P9). A backup is a consistent
//! copy of the database taken while the shop runs (SQLite: `VACUUM INTO`; PostgreSQL:
//! `pg_dump`), stamped with when it was taken. The erasure log is not in it: it lives beside the
//! database (`erasures.log` in the data folder), so after a restore every erasure since the
//! stamp is replayed — by `restore` itself, and by start-up, which refuses to serve while one
//! is pending. A file that is not a Bloei backup, comes from a newer Bloei or is damaged is
//! refused before anything is touched; the database it replaces is kept beside it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::config::Config;
use crate::db::{DatabaseUrl, Db, DbConn};
use crate::domain::sealed::DataKey;
use crate::privacy::erasure_log::{self, BACKUP_TAKEN_KEY, ErasureLog, REPLAY_PENDING_KEY};
use crate::startup::StartupError;

/// How long `pg_dump` or `pg_restore` may take before it is stopped.
const TOOL_DEADLINE: Duration = Duration::from_secs(30 * 60);

fn fail(message: impl Into<String>) -> StartupError {
    StartupError::Database(message.into())
}

/// A pooled connection.
type Conn = diesel::r2d2::PooledConnection<crate::db::ConnectionManager>;

fn connect(url: &DatabaseUrl) -> Result<(Db, Conn), StartupError> {
    let db = Db::connect(url, 1).map_err(StartupError::Database)?;
    let conn = db.conn().map_err(|e| fail(e.to_string()))?;
    Ok((db, conn))
}

/// Writes a backup of the configured database to `file` (which must not exist yet).
pub fn backup(config: &Config, file: &Path) -> Result<String, StartupError> {
    if file.exists() {
        return Err(fail(format!(
            "{} exists already; choose a new file name, so no backup is overwritten.",
            file.display()
        )));
    }
    let (_db, mut conn) = connect(&config.database)?;
    // The stamp goes in first: an erasure in the moment between stamp and copy is replayed
    // once too often, which erases nothing more.
    let taken = erasure_log::format_time(crate::db::now());
    crate::db::set_meta(&mut conn, BACKUP_TAKEN_KEY, &taken).map_err(|e| fail(e.to_string()))?;
    match &config.database {
        DatabaseUrl::Sqlite(_) => {
            let target = file
                .to_str()
                .ok_or_else(|| fail("the backup file name is not UTF-8."))?;
            diesel::sql_query(format!("VACUUM INTO '{}'", target.replace('\'', "''")))
                .execute(&mut *conn)
                .map_err(|e| fail(format!("the backup could not be written: {e}.")))?;
        }
        DatabaseUrl::Postgres(url) => {
            let file_arg = file.as_os_str().to_owned();
            run_tool(
                Command::new("pg_dump")
                    .args(["--format=custom", "--no-owner", "--file"])
                    .arg(file_arg)
                    .arg(url),
                "pg_dump",
            )?;
        }
    }
    Ok(format!(
        "Backup written to {} (taken {taken} UTC). The erasure log is not in it: keep {} as well.",
        file.display(),
        ErasureLog::in_dir(&config.data_dir).path().display()
    ))
}

/// Runs a PostgreSQL client tool with a deadline.
fn run_tool(command: &mut Command, name: &str) -> Result<(), StartupError> {
    let mut child = command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| {
            fail(format!(
                "cannot run {name} ({e}); install the PostgreSQL client tools (Debian: postgresql-client)."
            ))
        })?;
    let deadline = std::time::Instant::now() + TOOL_DEADLINE;
    loop {
        if let Some(status) = child.try_wait().map_err(|e| fail(e.to_string()))? {
            if status.success() {
                return Ok(());
            }
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
            }
            return Err(fail(format!("{name} failed: {}", stderr.trim())));
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            return Err(fail(format!(
                "{name} took longer than {TOOL_DEADLINE:?} and was stopped."
            )));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

/// Checks a copy of a SQLite backup before it replaces anything: a whole, undamaged database,
/// made by Bloei (it carries the backup stamp), with no migration this binary does not know.
/// Returns the stamp.
fn check_sqlite_copy(copy: &Path, shown: &Path) -> Result<String, String> {
    let not_ours = || format!("{} is not a Bloei backup.", shown.display());
    let mut header = [0u8; 16];
    let read = std::fs::File::open(copy).and_then(|mut f| std::io::Read::read(&mut f, &mut header));
    read.map_err(|e| format!("cannot read {}: {e}", shown.display()))?;
    if &header != b"SQLite format 3\0" {
        return Err(not_ours());
    }
    let damaged = |e: String| {
        format!(
            "{} is damaged or incomplete ({e}); nothing was restored.",
            shown.display()
        )
    };
    let opened = Db::connect(&DatabaseUrl::Sqlite(copy.to_owned()), 1)
        .and_then(|db| Ok((db.conn().map_err(|e| e.to_string())?, db)));
    let (mut conn, _db) = opened.map_err(|e| {
        // The message names the file; the reason is the part after it.
        damaged(
            e.rsplit(": ")
                .next()
                .unwrap_or(&e)
                .trim_end_matches('.')
                .to_owned(),
        )
    })?;
    let checks: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut *conn)
        .map_err(|e| damaged(e.to_string()))?;
    if checks.len() != 1 || checks[0].integrity_check != "ok" {
        let found = checks
            .into_iter()
            .map(|c| c.integrity_check)
            .collect::<Vec<_>>();
        return Err(damaged(found.join("; ")));
    }
    let stamp = crate::db::meta(&mut conn, BACKUP_TAKEN_KEY).map_err(|_| not_ours())?;
    let stamp = stamp.ok_or_else(not_ours)?;
    let unknown = crate::db::unknown_migrations(&mut conn)?;
    if !unknown.is_empty() {
        return Err(format!(
            "{} was made by a newer Bloei (database migrations {} are unknown to this version); \
             restore it with that version or newer.",
            shown.display(),
            unknown.join(", ")
        ));
    }
    let _ = diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *conn);
    Ok(stamp)
}

/// Replaces the configured database by the backup in `file`, keeps the database it replaces
/// beside it, and replays the erasures since the backup was taken. Stop the shop first.
pub fn restore(config: &Config, file: &Path) -> Result<String, StartupError> {
    if !file.is_file() {
        return Err(fail(format!(
            "{} does not exist or is not a file.",
            file.display()
        )));
    }
    let kept = match &config.database {
        DatabaseUrl::Sqlite(target) => restore_sqlite(target, file)?,
        DatabaseUrl::Postgres(url) => restore_postgres(url, file)?,
    };
    // Migrated first (the backup may be older than this version), then replayed.
    let db = Db::connect(&config.database, 1).map_err(StartupError::Database)?;
    db.migrate().map_err(StartupError::Database)?;
    let replayed = crate::startup::replay_erasures(config, &db)?.unwrap_or(0);
    let kept = kept.map_or(String::new(), |k| {
        format!(" The database it replaced is kept as {}.", k.display())
    });
    Ok(format!(
        "Restored {}; {replayed} account(s) erased since the backup were erased again.{kept}",
        file.display()
    ))
}

fn restore_sqlite(target: &Path, file: &Path) -> Result<Option<PathBuf>, StartupError> {
    let staging = target.with_extension("db.restoring");
    let _ = std::fs::remove_file(&staging);
    std::fs::copy(file, &staging).map_err(|e| {
        fail(format!(
            "cannot copy {} next to the database: {e}.",
            file.display()
        ))
    })?;
    let stamp = match check_sqlite_copy(&staging, file) {
        Ok(stamp) => stamp,
        Err(message) => {
            let _ = std::fs::remove_file(&staging);
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(sibling(&staging, suffix));
            }
            return Err(fail(message));
        }
    };
    let mut kept = None;
    if target.exists() {
        let stamp_now = chrono::Utc::now().format("%Y%m%dT%H%M%S");
        let aside = sibling(target, &format!(".before-restore-{stamp_now}"));
        for suffix in ["-wal", "-shm"] {
            let from = sibling(target, suffix);
            if from.exists() {
                std::fs::rename(&from, sibling(&aside, suffix)).map_err(|e| fail(e.to_string()))?;
            }
        }
        std::fs::rename(target, &aside).map_err(|e| fail(e.to_string()))?;
        kept = Some(aside);
    }
    std::fs::rename(&staging, target).map_err(|e| fail(e.to_string()))?;
    mark_pending(&DatabaseUrl::Sqlite(target.to_owned()), &stamp)?;
    Ok(kept)
}

fn restore_postgres(url: &str, file: &Path) -> Result<Option<PathBuf>, StartupError> {
    // The dump's table of contents: refuses anything that is not a pg_dump archive.
    run_tool(
        Command::new("pg_restore").arg("--list").arg(file),
        "pg_restore --list",
    )
    .map_err(|_| {
        fail(format!(
            "{} is not a Bloei backup (not a pg_dump archive).",
            file.display()
        ))
    })?;
    run_tool(
        Command::new("pg_restore")
            .args([
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
            ])
            .arg(url)
            .arg(file),
        "pg_restore",
    )?;
    let (_db, mut conn) = connect(&DatabaseUrl::Postgres(url.to_owned()))?;
    let stamp = crate::db::meta(&mut conn, BACKUP_TAKEN_KEY)
        .map_err(|e| fail(e.to_string()))?
        .ok_or_else(|| {
            fail(format!(
                "{} holds no backup stamp: not made by `bloei backup`.",
                file.display()
            ))
        })?;
    drop(conn);
    mark_pending(&DatabaseUrl::Postgres(url.to_owned()), &stamp)?;
    Ok(None)
}

fn mark_pending(url: &DatabaseUrl, stamp: &str) -> Result<(), StartupError> {
    let (_db, mut conn) = connect(url)?;
    crate::db::set_meta(&mut conn, REPLAY_PENDING_KEY, stamp).map_err(|e| fail(e.to_string()))
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// `bloei replay-erasures`: for a database restored with other tools (pg_restore), replays
/// every erasure since `since` (default: the restored database's backup stamp).
pub fn replay_since(config: &Config, since: Option<&str>) -> Result<String, StartupError> {
    let db = crate::startup::prepare_database(config)?;
    let mut conn = db.conn().map_err(|e| fail(e.to_string()))?;
    let since = match since {
        Some(text) => text.to_owned(),
        None => crate::db::meta(&mut conn, BACKUP_TAKEN_KEY)
            .map_err(|e| fail(e.to_string()))?
            .ok_or_else(|| fail("this database holds no backup stamp; give --since YYYY-MM-DDTHH:MM:SS.ffffff (UTC)."))?,
    };
    let at = erasure_log::parse_time(&since)
        .or_else(|| erasure_log::parse_time(&format!("{since}.000000")))
        .ok_or_else(|| {
            fail(format!(
                "--since `{since}` is not a time like 2026-12-04T10:00:00 (UTC)."
            ))
        })?;
    let key = DataKey::from_material(&config.data_key()?);
    let log = ErasureLog::in_dir(&config.data_dir);
    let erased = erasure_log::replay(&mut conn, &key, &log, at).map_err(|e| fail(e.to_string()))?;
    let _ = diesel::delete(
        crate::db::schema::app_meta::table
            .filter(crate::db::schema::app_meta::key.eq(REPLAY_PENDING_KEY)),
    )
    .execute(&mut *conn);
    scrub(&mut conn);
    Ok(format!(
        "{erased} account(s) erased since {since} were erased again."
    ))
}

/// Erased values must not stay readable in the database's free space (P5).
fn scrub(conn: &mut DbConn) {
    if let Err(e) = crate::db::scrub(conn, crate::privacy::erasure::TABLES) {
        tracing::warn!(error = %e, "could not compact the database after replaying erasures");
    }
}
