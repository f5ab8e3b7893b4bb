//! The command line: `serve` (the default), `migrate`, `seed-demo`, `generate-key`,
//! `check-config`, `backup`, `restore`, `replay-erasures` and the shop's batch commands. Errors end
//! the process with a non-zero exit code and one sentence naming what to fix — no panics.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::catalog::seed;
use crate::config::{Config, Settings};
use crate::startup::{self, Application, StartupError};
use crate::telemetry;

/// Bloei: the web shop and back office of an independent florist.
///
/// Every setting can be given as a flag, as an environment variable, or in a TOML file
/// (`bloei.toml` in the working directory, or the file named by --config), in that order of
/// precedence. With no settings at all, Bloei serves a demo shop from a SQLite file under ./data.
#[derive(Parser)]
#[command(name = "bloei", version)]
pub struct Cli {
    /// Configuration file (TOML, keys as the long flags with underscores)
    #[arg(long, env = "BLOEI_CONFIG", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// How log lines are written: `text` (readable, the default) or `json` (one object a line)
    #[arg(
        long,
        env = "BLOEI_LOG_FORMAT",
        global = true,
        value_enum,
        default_value_t
    )]
    pub log_format: telemetry::LogFormat,
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// What to do.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the shop (the default): migrate, seed an empty catalogue, listen
    Serve,
    /// Apply pending database migrations and exit
    Migrate,
    /// Add the demo catalogue's missing categories, occasions and products, and exit
    SeedDemo,
    /// Print a new random value for BLOEI_SECRET_KEY
    GenerateKey,
    /// Print the effective settings (secrets hidden) and exit non-zero when they are not valid
    CheckConfig,
    /// Create a staff account; the password is asked for (or read from standard input)
    CreateStaff {
        /// The staff member's e-mail address (their login)
        #[arg(long)]
        email: String,
        /// The staff member's name
        #[arg(long)]
        name: String,
        /// What they may do: owner (everything), florist (board, tickets), courier (route list,
        /// delivery outcomes) or support (reads the board)
        #[arg(long, value_parser = ["owner", "florist", "courier", "support"])]
        role: String,
    },
    /// Issue the monthly invoices for a month's orders on account (one per company, numbered
    /// without gaps) and mail them to each company's admins
    Invoices {
        /// The month, as YYYY-MM; it must have ended
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
    },
    /// Queue a newsletter edition for every confirmed subscriber, in their language, each mail
    /// with its unsubscribe link (personalised versions only for groups of 20 or more who
    /// consented to it)
    Newsletter {
        /// A TOML file with `[general]` (subject_nl, subject_en, body_nl, body_en) and any
        /// number of `[[interest]]` (category plus the same four texts)
        #[arg(long, value_name = "FILE")]
        file: std::path::PathBuf,
    },
    /// The retention sweep (P15): warn accounts inactive for two years, erase those warned 30
    /// days ago, strip delivered orders of the recipient's details, drop old audit entries.
    /// `--dry-run` prints what it would do per rule; `--apply` does it
    Retention {
        /// Only count
        #[arg(long, conflicts_with = "apply", required_unless_present = "apply")]
        dry_run: bool,
        /// Change the data
        #[arg(long)]
        apply: bool,
    },
    /// Write a backup of the database to FILE while the shop runs (SQLite: a consistent copy;
    /// PostgreSQL: pg_dump). The erasure log (erasures.log in the data folder) is not in it
    Backup {
        /// Where to write the backup; it must not exist yet
        file: PathBuf,
    },
    /// Replace the database by a backup (stop the shop first), keep the replaced database
    /// beside it, and erase again every account erased since the backup was taken
    Restore {
        /// The backup, as written by `bloei backup`
        file: PathBuf,
    },
    /// After restoring PostgreSQL with your own tools: erase again every account the erasure
    /// log names since the backup (default: the backup stamp in the restored database)
    ReplayErasures {
        /// Replay erasures from this UTC time on (YYYY-MM-DDTHH:MM:SS)
        #[arg(long, value_name = "TIME")]
        since: Option<String>,
    },
}

/// Exit code for a configuration or start-up problem.
const EXIT_CONFIG: u8 = 2;

/// Runs the command line and returns the process's exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.log_format);
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bloei: {e}");
            ExitCode::from(EXIT_CONFIG)
        }
    }
}

fn run(cli: Cli) -> Result<(), StartupError> {
    let command = cli.command.clone().unwrap_or(Command::Serve);
    if let Command::GenerateKey = command {
        println!("{}", crate::config::generate_key());
        return Ok(());
    }
    let log_format = cli.log_format;
    let config = Config::load(cli.settings, cli.config.as_deref())?;
    match command {
        Command::Serve => serve(config, log_format),
        Command::Migrate => {
            let db = crate::db::Db::connect(&config.database, 1).map_err(StartupError::Database)?;
            let applied = db.migrate().map_err(StartupError::Database)?;
            println!(
                "{}: {} migration(s) applied, database is up to date.",
                config.database.redacted(),
                applied.len()
            );
            Ok(())
        }
        Command::SeedDemo => {
            let mut config = config;
            config.demo_seed = false;
            let db = startup::prepare_database(&config)?;
            let mut conn = db
                .conn()
                .map_err(|e| StartupError::Database(e.to_string()))?;
            let report = seed::seed_demo(&mut conn, startup::seed_demo_delivery)
                .map_err(StartupError::Database)?;
            println!(
                "Demo catalogue: added {} categories, {} occasions and {} products ({} in the demo set).",
                report.categories,
                report.occasions,
                report.products,
                seed::demo_product_count()
            );
            Ok(())
        }
        Command::CreateStaff { email, name, role } => {
            let role = crate::staff::model::Role::parse(&role)
                .ok_or_else(|| StartupError::Database(format!("--role `{role}` is not a role.")))?;
            let password = read_password().map_err(StartupError::Database)?;
            let db = crate::db::Db::connect(&config.database, 1).map_err(StartupError::Database)?;
            db.migrate().map_err(StartupError::Database)?;
            let mut conn = db
                .conn()
                .map_err(|e| StartupError::Database(e.to_string()))?;
            use crate::staff::service::{CreateError, create_staff};
            match create_staff(
                &mut conn,
                &email,
                &name,
                &password,
                role,
                config.password_cost,
            ) {
                Ok(_) => {
                    println!(
                        "Staff account created for {name}; they can log in at {}/medewerkers/inloggen.",
                        config.public_url
                    );
                    Ok(())
                }
                Err(CreateError::BadEmail) => Err(StartupError::Database(format!(
                    "--email `{email}` is not an e-mail address."
                ))),
                Err(CreateError::NoName) => {
                    Err(StartupError::Database("--name must not be empty.".into()))
                }
                Err(CreateError::ShortPassword) => Err(StartupError::Database(format!(
                    "The password must be at least {} characters long.",
                    crate::domain::password::MIN_LENGTH
                ))),
                Err(CreateError::Taken) => Err(StartupError::Database(format!(
                    "A staff account for {email} already exists."
                ))),
                Err(CreateError::Failed(e)) => Err(StartupError::Database(format!(
                    "The staff account could not be created: {e}."
                ))),
            }
        }
        Command::Invoices { month } => invoices(&config, &month),
        Command::Newsletter { file } => newsletter(&config, &file),
        Command::Retention { apply, .. } => retention(&config, apply),
        Command::Backup { file } => {
            println!("{}", crate::backup::backup(&config, &file)?);
            Ok(())
        }
        Command::Restore { file } => {
            println!("{}", crate::backup::restore(&config, &file)?);
            Ok(())
        }
        Command::ReplayErasures { since } => {
            println!(
                "{}",
                crate::backup::replay_since(&config, since.as_deref())?
            );
            Ok(())
        }
        Command::CheckConfig => {
            print!("{}", config.report());
            // On PostgreSQL both keys must be given (every instance shares them); on SQLite
            // they are generated on first start, so asking for them here would write files.
            if matches!(config.database, crate::db::DatabaseUrl::Postgres(_)) {
                config.secret_key()?;
                config.data_key()?;
            }
            println!("The configuration is valid.");
            Ok(())
        }
        Command::GenerateKey => unreachable!("handled above"),
    }
}

/// `bloei invoices --month YYYY-MM`.
fn invoices(config: &Config, month: &str) -> Result<(), StartupError> {
    use crate::business::invoice::{self, InvoiceProblem, Month};
    let fail = StartupError::Database;
    let parsed = Month::parse(month).ok_or_else(|| {
        fail(format!(
            "--month `{month}` is not a month; write it as YYYY-MM."
        ))
    })?;
    let db = startup::prepare_database(config)?;
    let mut conn = db.conn().map_err(|e| fail(e.to_string()))?;
    let mail = crate::mail::messages::MailContext::of(config);
    let today = invoice::today();
    match invoice::issue_month(&mut conn, parsed, &config.shop, today, &mail) {
        Ok(Ok(issued)) if issued.is_empty() => {
            println!("No orders on account in {month} were waiting for an invoice.");
            Ok(())
        }
        Ok(Ok(issued)) => {
            for i in &issued {
                println!(
                    "Invoice {} for company {}: {}",
                    i.number,
                    i.company_id,
                    crate::money::Money::from_cents(i.total_cents).display(crate::i18n::Lang::En)
                );
            }
            println!("{} invoice(s) issued and queued for e-mail.", issued.len());
            Ok(())
        }
        Ok(Err(InvoiceProblem::NotOver)) => Err(fail(format!(
            "{month} has not ended yet; issue its invoices from the first day of the next month."
        ))),
        Err(e) => Err(fail(format!("The invoices could not be issued: {e}."))),
    }
}

/// `bloei newsletter --file edition.toml`.
fn newsletter(config: &Config, file: &std::path::Path) -> Result<(), StartupError> {
    let fail = StartupError::Database;
    let text = std::fs::read_to_string(file)
        .map_err(|e| fail(format!("--file {}: cannot read it: {e}.", file.display())))?;
    let edition: crate::privacy::editions::Edition = toml::from_str(&text).map_err(|e| {
        fail(format!(
            "--file {}: not a newsletter edition: {e}",
            file.display()
        ))
    })?;
    let db = startup::prepare_database(config)?;
    let mut conn = db.conn().map_err(|e| fail(e.to_string()))?;
    let mail = crate::mail::messages::MailContext::of(config);
    let sent = crate::privacy::editions::send(&mut conn, &mail, &edition)
        .map_err(|e| fail(format!("The newsletter could not be queued: {e}.")))?;
    println!("General edition: {} subscriber(s).", sent.general);
    for (category, n) in &sent.personalised {
        println!("Version for {category}: {n} subscriber(s).");
    }
    Ok(())
}

/// The new password: asked twice at a terminal without echo, or the first line of standard
/// input when it is not a terminal (scripts, tests).
fn retention(config: &Config, apply: bool) -> Result<(), StartupError> {
    let db = startup::prepare_database(config)?;
    let mut conn = db
        .conn()
        .map_err(|e| StartupError::Database(e.to_string()))?;
    let key = crate::domain::sealed::DataKey::from_material(&config.data_key()?);
    let log = crate::privacy::erasure_log::ErasureLog::in_dir(&config.data_dir);
    let mail = crate::mail::messages::MailContext::of(config);
    let sweep = crate::privacy::retention::Sweep {
        now: crate::db::now(),
        apply,
        key: &key,
        log: &log,
        mail: &mail,
    };
    let report = sweep
        .run(&mut conn, &mut |done, total| {
            eprintln!("erased {done} of {total} accounts…")
        })
        .map_err(|e| StartupError::Database(format!("the retention sweep failed: {e}")))?;
    if apply {
        println!("{report}");
    } else {
        println!("Dry run: nothing was changed. The sweep would do this:\n{report}");
    }
    Ok(())
}

fn read_password() -> Result<String, String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(|e| e.to_string())?;
        let again = rpassword::prompt_password("Password again: ").map_err(|e| e.to_string())?;
        if first != again {
            return Err("The two passwords differ; nothing was created.".into());
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

fn serve(config: Config, log_format: telemetry::LogFormat) -> Result<(), StartupError> {
    // Check the key before touching the database, so a bad key fails fast.
    config.secret_key()?;
    // (Start-up also replays erasures a restore left pending, before anything serves, P9.)
    let db = startup::prepare_database(&config)?;
    let url = config.public_url.clone();
    let database = config.database.redacted();
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(config, db)?;
        tracing::info!(%url, %database, "Bloei is serving");
        // A plain line for a person at the terminal; a log shipper reading JSON gets the event
        // above only.
        if log_format == telemetry::LogFormat::Text {
            eprintln!("Bloei serves the shop at {url}");
        }
        app.run()
            .await
            .map_err(|e| StartupError::Listen(format!("the server stopped: {e}.")))
    })
}
