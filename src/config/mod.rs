//! Configuration: defaults, overridden by an optional `bloei.toml`, overridden by environment
//! variables, overridden by command-line flags. Every problem is reported as one sentence that
//! names the setting to fix.

use std::fs;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Deserialize;

mod delivery;
pub mod payment;
mod privacy;
mod report;
mod secret;
pub use delivery::DeliverySettings;
use delivery::delivery_rules;
use payment::mollie_settings;
pub use privacy::PrivacyConfig;

pub use secret::generate_key;
use secret::{Secret, unique_sibling};

use crate::db::DatabaseUrl;

/// A configuration problem, phrased for the operator: one sentence naming the setting.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// Settings as given on the command line or in the environment (flags win over variables).
/// Every one may also be set in `bloei.toml` under the same name with underscores.
#[derive(Default, Clone, Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Address and port to serve on
    #[arg(long, env = "BLOEI_LISTEN", global = true, value_name = "ADDR")]
    pub listen: Option<String>,
    /// Address and port of the separate listener serving `/metrics` (Prometheus text); off when
    /// unset. Bind it to a private interface: it is never served on the shop's own address
    #[arg(long, env = "BLOEI_METRICS_LISTEN", global = true, value_name = "ADDR")]
    pub metrics_listen: Option<String>,
    /// Database: sqlite://PATH (default: a file in the data dir) or postgres://USER:PASS@HOST/DB
    #[arg(
        long,
        env = "DATABASE_URL",
        global = true,
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// Directory for the SQLite database and the generated secret key
    #[arg(long, env = "BLOEI_DATA_DIR", global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Base64 key (at least 64 bytes) that signs and encrypts cookies; generated into the data
    /// dir on SQLite, required on PostgreSQL (all instances must share it)
    #[arg(
        long,
        env = "BLOEI_SECRET_KEY",
        global = true,
        value_name = "KEY",
        hide_env_values = true
    )]
    pub secret_key: Option<String>,
    /// Base64 key (at least 64 bytes) that encrypts personal data at rest (IBANs); generated
    /// into the data dir on SQLite, required on PostgreSQL; keep it with the backups
    #[arg(
        long,
        env = "BLOEI_DATA_KEY",
        global = true,
        value_name = "KEY",
        hide_env_values = true
    )]
    pub data_key: Option<String>,
    /// The address customers use, e.g. https://www.example.nl; https turns on secure cookies and HSTS
    #[arg(long, env = "BLOEI_PUBLIC_URL", global = true, value_name = "URL")]
    pub public_url: Option<String>,
    /// Fill an empty catalogue with the demo products on start (true/false)
    #[arg(long, env = "BLOEI_DEMO_SEED", global = true, value_name = "BOOL")]
    pub demo_seed: Option<bool>,
    /// Maximum database connections per instance
    #[arg(long, env = "BLOEI_DB_POOL_SIZE", global = true, value_name = "N")]
    pub db_pool_size: Option<u32>,
    /// HTTP worker threads (default: one per core)
    #[arg(long, env = "BLOEI_WORKERS", global = true, value_name = "N")]
    pub workers: Option<usize>,
    /// How long each instance reuses its copy of the catalogue, in milliseconds (0: never)
    #[arg(
        long,
        env = "BLOEI_CATALOGUE_CACHE_MS",
        global = true,
        value_name = "MS"
    )]
    pub catalogue_cache_ms: Option<u64>,
    /// Local time (Europe/Amsterdam) before which orders can be delivered the same day
    #[arg(
        long,
        env = "BLOEI_DELIVERY_CUTOFF",
        global = true,
        value_name = "HH:MM"
    )]
    pub delivery_cutoff: Option<String>,
    /// Most orders per delivery date
    #[arg(long, env = "BLOEI_DAILY_CAPACITY", global = true, value_name = "N")]
    pub daily_capacity: Option<u32>,
    /// How many days ahead customers can order
    #[arg(
        long,
        env = "BLOEI_BOOKING_WINDOW_DAYS",
        global = true,
        value_name = "DAYS"
    )]
    pub booking_window_days: Option<u32>,
    /// Weekdays the shop is closed, e.g. "sun" or "sat,sun" ("" for none)
    #[arg(
        long,
        env = "BLOEI_CLOSED_WEEKDAYS",
        global = true,
        value_name = "DAYS"
    )]
    pub closed_weekdays: Option<String>,
    /// Closed on Good Friday (true/false)
    #[arg(
        long,
        env = "BLOEI_CLOSED_GOOD_FRIDAY",
        global = true,
        value_name = "BOOL"
    )]
    pub closed_good_friday: Option<bool>,
    /// Closed on Liberation Day, 5 May (true/false)
    #[arg(
        long,
        env = "BLOEI_CLOSED_LIBERATION_DAY",
        global = true,
        value_name = "BOOL"
    )]
    pub closed_liberation_day: Option<bool>,
    /// Minutes an unpaid order keeps its place before it expires
    #[arg(
        long,
        env = "BLOEI_PAYMENT_EXPIRY_MINUTES",
        global = true,
        value_name = "MIN"
    )]
    pub payment_expiry_minutes: Option<u32>,
    /// SMTP server for e-mail, e.g. smtp://127.0.0.1:2525 or smtps://user:pass@mail.example.nl
    /// (default: write .eml files under <data dir>/mail)
    #[arg(
        long,
        env = "BLOEI_SMTP_URL",
        global = true,
        value_name = "URL",
        hide_env_values = true
    )]
    pub smtp_url: Option<String>,
    /// Sender address of the shop's e-mail (default: the shop's e-mail address)
    #[arg(long, env = "BLOEI_MAIL_FROM", global = true, value_name = "ADDRESS")]
    pub mail_from: Option<String>,
    /// Argon2id memory per password hash in KiB (default 19456, the current recommendation)
    #[arg(
        long,
        env = "BLOEI_ARGON2_MEMORY_KIB",
        global = true,
        value_name = "KIB"
    )]
    pub argon2_memory_kib: Option<u32>,
    /// Argon2id passes per password hash (default 2)
    #[arg(long, env = "BLOEI_ARGON2_ITERATIONS", global = true, value_name = "N")]
    pub argon2_iterations: Option<u32>,
    /// Run the background worker (e-mail, expiry) in this instance (true/false, default true)
    #[arg(long, env = "BLOEI_WORKER", global = true, value_name = "BOOL")]
    pub worker: Option<bool>,
    /// Accept test payments (the built-in "Testbetaling" page): default true unless the public
    /// URL is https, so a live shop never takes orders that nobody paid for
    #[arg(long, env = "BLOEI_TEST_PAYMENTS", global = true, value_name = "BOOL")]
    pub test_payments: Option<bool>,
    /// Mollie API key (`live_…` or `test_…`); when set, customers pay through Mollie
    #[arg(
        long,
        env = "BLOEI_MOLLIE_API_KEY",
        global = true,
        value_name = "KEY",
        hide_env_values = true
    )]
    pub mollie_api_key: Option<String>,
    /// Mollie's API address (default https://api.mollie.com/v2)
    #[arg(long, env = "BLOEI_MOLLIE_API_URL", global = true, value_name = "URL")]
    pub mollie_api_url: Option<String>,
    /// The shop runs behind a reverse proxy that sets X-Forwarded-For (true/false): login
    /// limits then count the address it reports instead of the proxy's
    #[arg(long, env = "BLOEI_BEHIND_PROXY", global = true, value_name = "BOOL")]
    pub behind_proxy: Option<bool>,
    /// URL of an analytics or advertising script, loaded only for visitors who accept
    /// advertisers' cookies
    #[arg(long, env = "BLOEI_TRACKING_SCRIPT", global = true, value_name = "URL")]
    pub tracking_script: Option<String>,
    /// Name of the courier company that delivers for the shop (unset: the shop's own couriers)
    #[arg(long, env = "BLOEI_COURIER_SERVICE", global = true)]
    pub courier_service: Option<String>,
    /// Name of the company whose servers send the shop's e-mail
    #[arg(long, env = "BLOEI_MAIL_PROVIDER", global = true)]
    pub mail_provider: Option<String>,
    /// Days before a saved occasion its reminder goes out (default 7)
    #[arg(long, env = "BLOEI_REMINDER_DAYS", global = true, value_name = "N")]
    pub reminder_days: Option<u32>,
    /// Shop name shown in the header and footer
    #[arg(long, env = "BLOEI_SHOP_NAME", global = true)]
    pub shop_name: Option<String>,
    /// Shop street and number
    #[arg(long, env = "BLOEI_SHOP_STREET", global = true)]
    pub shop_street: Option<String>,
    /// Shop postcode
    #[arg(long, env = "BLOEI_SHOP_POSTCODE", global = true)]
    pub shop_postcode: Option<String>,
    /// Shop city
    #[arg(long, env = "BLOEI_SHOP_CITY", global = true)]
    pub shop_city: Option<String>,
    /// Shop's Chamber of Commerce (KvK) number
    #[arg(long, env = "BLOEI_SHOP_KVK", global = true)]
    pub shop_kvk: Option<String>,
    /// Shop's VAT id (btw-id)
    #[arg(long, env = "BLOEI_SHOP_VAT_ID", global = true)]
    pub shop_vat_id: Option<String>,
    /// Shop's contact e-mail address
    #[arg(long, env = "BLOEI_SHOP_EMAIL", global = true)]
    pub shop_email: Option<String>,
    /// Shop's contact phone number
    #[arg(long, env = "BLOEI_SHOP_PHONE", global = true)]
    pub shop_phone: Option<String>,
}

impl Settings {
    /// Fills every setting this one leaves empty from `lower`.
    fn or(self, lower: Settings) -> Settings {
        Settings {
            listen: self.listen.or(lower.listen),
            metrics_listen: self.metrics_listen.or(lower.metrics_listen),
            database_url: self.database_url.or(lower.database_url),
            data_dir: self.data_dir.or(lower.data_dir),
            secret_key: self.secret_key.or(lower.secret_key),
            data_key: self.data_key.or(lower.data_key),
            public_url: self.public_url.or(lower.public_url),
            demo_seed: self.demo_seed.or(lower.demo_seed),
            db_pool_size: self.db_pool_size.or(lower.db_pool_size),
            workers: self.workers.or(lower.workers),
            catalogue_cache_ms: self.catalogue_cache_ms.or(lower.catalogue_cache_ms),
            delivery_cutoff: self.delivery_cutoff.or(lower.delivery_cutoff),
            daily_capacity: self.daily_capacity.or(lower.daily_capacity),
            booking_window_days: self.booking_window_days.or(lower.booking_window_days),
            closed_weekdays: self.closed_weekdays.or(lower.closed_weekdays),
            closed_good_friday: self.closed_good_friday.or(lower.closed_good_friday),
            closed_liberation_day: self.closed_liberation_day.or(lower.closed_liberation_day),
            payment_expiry_minutes: self.payment_expiry_minutes.or(lower.payment_expiry_minutes),
            argon2_memory_kib: self.argon2_memory_kib.or(lower.argon2_memory_kib),
            argon2_iterations: self.argon2_iterations.or(lower.argon2_iterations),
            worker: self.worker.or(lower.worker),
            test_payments: self.test_payments.or(lower.test_payments),
            mollie_api_key: self.mollie_api_key.or(lower.mollie_api_key),
            mollie_api_url: self.mollie_api_url.or(lower.mollie_api_url),
            behind_proxy: self.behind_proxy.or(lower.behind_proxy),
            tracking_script: self.tracking_script.or(lower.tracking_script),
            courier_service: self.courier_service.or(lower.courier_service),
            mail_provider: self.mail_provider.or(lower.mail_provider),
            reminder_days: self.reminder_days.or(lower.reminder_days),
            smtp_url: self.smtp_url.or(lower.smtp_url),
            mail_from: self.mail_from.or(lower.mail_from),
            shop_name: self.shop_name.or(lower.shop_name),
            shop_street: self.shop_street.or(lower.shop_street),
            shop_postcode: self.shop_postcode.or(lower.shop_postcode),
            shop_city: self.shop_city.or(lower.shop_city),
            shop_kvk: self.shop_kvk.or(lower.shop_kvk),
            shop_vat_id: self.shop_vat_id.or(lower.shop_vat_id),
            shop_email: self.shop_email.or(lower.shop_email),
            shop_phone: self.shop_phone.or(lower.shop_phone),
        }
    }
}

/// The shop's own details, shown in the footer and (later) on invoices.
#[derive(Debug, Clone)]
pub struct ShopInfo {
    /// Trading name.
    pub name: String,
    /// Street and number.
    pub street: String,
    /// Postcode.
    pub postcode: String,
    /// City.
    pub city: String,
    /// Chamber of Commerce number.
    pub kvk: String,
    /// VAT id.
    pub vat_id: String,
    /// Contact e-mail address.
    pub email: String,
    /// Contact phone number.
    pub phone: String,
}

/// The resolved configuration the application runs with.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to bind.
    pub listen: String,
    /// Address of the metrics listener, when metrics are on.
    pub metrics_listen: Option<String>,
    /// Which database, parsed.
    pub database: DatabaseUrl,
    /// Data directory (exists and is writable).
    pub data_dir: PathBuf,
    /// The secret key as given, if any (resolved by [`Config::secret_key`]).
    secret_key: Option<Secret>,
    /// The data key as given, if any (resolved by [`Config::data_key`]).
    data_key: Option<Secret>,
    /// Public base URL without a trailing slash.
    pub public_url: String,
    /// Whether an empty catalogue is filled with the demo products.
    pub demo_seed: bool,
    /// Pool size per instance.
    pub db_pool_size: u32,
    /// HTTP workers.
    pub workers: usize,
    /// How long an instance reuses its catalogue snapshot.
    pub catalogue_cache: std::time::Duration,
    /// The shop's own details.
    pub shop: ShopInfo,
    /// Delivery rules (calendar overrides and zones come from the database).
    pub delivery: DeliverySettings,
    /// How long an unpaid order keeps its place.
    pub payment_expiry: std::time::Duration,
    /// SMTP server URL, if e-mail goes out by SMTP.
    smtp_url: Option<Secret>,
    /// The sender of the shop's e-mail.
    pub mail_from: lettre::message::Mailbox,
    /// The cost of hashing a staff password.
    pub password_cost: PasswordCost,
    /// Whether this instance runs the background worker.
    pub run_worker: bool,
    /// Whether the built-in test payment provider takes payments (never while Mollie is set).
    pub test_payments: bool,
    /// Mollie, when configured.
    mollie: Option<payment::MollieSettings>,
    /// Whether a trusted reverse proxy reports the visitor's address.
    pub behind_proxy: bool,
    /// Third parties, tracking and reminders.
    pub privacy: PrivacyConfig,
}

/// How expensive a password hash is (Argon2id; `domain::password` hashes with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordCost {
    /// Memory in KiB (OWASP's current recommendation: 19 MiB).
    pub memory_kib: u32,
    /// Passes over the memory (recommended: 2).
    pub iterations: u32,
}

impl Default for PasswordCost {
    fn default() -> Self {
        PasswordCost {
            memory_kib: argon2::Params::DEFAULT_M_COST,
            iterations: argon2::Params::DEFAULT_T_COST,
        }
    }
}

impl Config {
    /// Resolves the configuration: flags and environment (`cli`) over `bloei.toml` over defaults.
    /// `config_file` is the file named by `--config`/`BLOEI_CONFIG`; without it `./bloei.toml`
    /// is read when present.
    pub fn load(cli: Settings, config_file: Option<&Path>) -> Result<Config, ConfigError> {
        let file = match config_file {
            Some(path) => read_file_settings(path)?,
            None if Path::new("bloei.toml").exists() => {
                read_file_settings(Path::new("bloei.toml"))?
            }
            None => Settings::default(),
        };
        Config::from_settings(cli.or(file))
    }

    /// Builds the configuration from already merged settings, filling in defaults.
    pub fn from_settings(s: Settings) -> Result<Config, ConfigError> {
        let delivery = delivery_rules(&s)?;
        let mollie = mollie_settings(&s)?;
        let privacy = privacy::privacy_settings(&s, mollie.is_some(), s.smtp_url.is_some())?;
        let data_dir = s.data_dir.unwrap_or_else(|| PathBuf::from("data"));
        ensure_writable_dir(&data_dir)?;
        let database = match &s.database_url {
            Some(url) => DatabaseUrl::parse(url).map_err(ConfigError)?,
            None => DatabaseUrl::Sqlite(data_dir.join("bloei.db")),
        };
        let listen = s.listen.unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let public_url = s
            .public_url
            .unwrap_or_else(|| format!("http://{listen}"))
            .trim_end_matches('/')
            .to_owned();
        if !public_url.starts_with("http://") && !public_url.starts_with("https://") {
            return Err(ConfigError(format!(
                "BLOEI_PUBLIC_URL must start with http:// or https://, got `{public_url}`."
            )));
        }
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        // More connections than the machine can keep busy only make them wait on each other
        // (measured: 4 beat 16 by a quarter on 2 cores in the checkout benchmark).
        let db_pool_size = s
            .db_pool_size
            .unwrap_or_else(|| u32::try_from(2 * cores).unwrap_or(u32::MAX).max(4));
        if db_pool_size == 0 {
            return Err(ConfigError("BLOEI_DB_POOL_SIZE must be at least 1.".into()));
        }
        let workers = s.workers.unwrap_or(cores);
        let shop_email = s
            .shop_email
            .clone()
            .unwrap_or_else(|| "info@flowersbyjennifer.nl".into());
        let shop_name = s
            .shop_name
            .clone()
            .unwrap_or_else(|| "Flowers by Jennifer".into());
        let from_address = s.mail_from.clone().unwrap_or(shop_email);
        let mail_from = lettre::message::Mailbox::new(
            Some(shop_name),
            from_address.parse().map_err(|_| {
                ConfigError(format!(
                    "BLOEI_MAIL_FROM (or BLOEI_SHOP_EMAIL) must be an e-mail address, got `{from_address}`."
                ))
            })?,
        );
        let default_cost = PasswordCost::default();
        let password_cost = PasswordCost {
            memory_kib: s
                .argon2_memory_kib
                .unwrap_or(default_cost.memory_kib)
                .max(8),
            iterations: s
                .argon2_iterations
                .unwrap_or(default_cost.iterations)
                .max(1),
        };
        let config = Config {
            privacy,
            test_payments: mollie.is_none()
                && s.test_payments
                    .unwrap_or(!public_url.starts_with("https://")),
            mollie,
            behind_proxy: s.behind_proxy.unwrap_or(false),
            run_worker: s.worker.unwrap_or(true),
            password_cost,
            smtp_url: s.smtp_url.clone().map(Secret),
            mail_from,
            delivery,
            payment_expiry: std::time::Duration::from_secs(
                60 * u64::from(s.payment_expiry_minutes.unwrap_or(30).max(1)),
            ),
            metrics_listen: s.metrics_listen.filter(|a| !a.trim().is_empty()),
            listen,
            database,
            data_dir,
            secret_key: s.secret_key.map(Secret),
            data_key: s.data_key.map(Secret),
            public_url,
            demo_seed: s.demo_seed.unwrap_or(true),
            db_pool_size,
            workers: workers.max(1),
            catalogue_cache: std::time::Duration::from_millis(s.catalogue_cache_ms.unwrap_or(1000)),
            shop: ShopInfo {
                name: s.shop_name.unwrap_or_else(|| "Flowers by Jennifer".into()),
                street: s.shop_street.unwrap_or_else(|| "Bloemenmarkt 7".into()),
                postcode: s.shop_postcode.unwrap_or_else(|| "1441 AB".into()),
                city: s.shop_city.unwrap_or_else(|| "Purmerend".into()),
                kvk: s.shop_kvk.unwrap_or_else(|| "85123456".into()),
                vat_id: s.shop_vat_id.unwrap_or_else(|| "NL123456782B01".into()),
                email: s
                    .shop_email
                    .unwrap_or_else(|| "info@flowersbyjennifer.nl".into()),
                phone: s.shop_phone.unwrap_or_else(|| "0299-420200".into()),
            },
        };
        if config.secret_key.is_some() {
            // A bad key should fail at start-up, not at the first request.
            config.secret_key()?;
        }
        if config.data_key.is_some() {
            config.data_key()?;
        }
        Ok(config)
    }

    /// The SMTP server's URL, when e-mail goes out by SMTP (else `.eml` files under
    /// `<data dir>/mail`).
    pub fn smtp_url(&self) -> Option<&str> {
        self.smtp_url.as_ref().map(|Secret(url)| url.as_str())
    }

    /// Mollie's settings, when customers pay through Mollie.
    pub fn mollie(&self) -> Option<payment::MollieSettings> {
        self.mollie.clone()
    }

    /// Whether the shop is served over TLS (secure cookies, HSTS).
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// The key that signs and encrypts cookies. On SQLite a missing key is generated once into
    /// `<data dir>/secret.key` (mode 0600); on PostgreSQL it must be given, because every instance
    /// behind the load balancer has to share it.
    pub fn secret_key(&self) -> Result<Vec<u8>, ConfigError> {
        self.key(self.secret_key.as_ref(), "BLOEI_SECRET_KEY", "secret.key")
    }

    /// The key that encrypts personal data at rest (IBANs, two-step secrets). Separate from the
    /// cookie key, so rotating that one never makes stored data unreadable. Resolved like the
    /// secret key: `<data dir>/data.key` on SQLite, required on PostgreSQL.
    pub fn data_key(&self) -> Result<Vec<u8>, ConfigError> {
        self.key(self.data_key.as_ref(), "BLOEI_DATA_KEY", "data.key")
    }

    fn key(
        &self,
        given: Option<&Secret>,
        setting: &str,
        file: &str,
    ) -> Result<Vec<u8>, ConfigError> {
        secret::resolve_key(
            given.map(|Secret(encoded)| encoded.as_str()),
            matches!(self.database, DatabaseUrl::Postgres(_)),
            &self.data_dir,
            setting,
            file,
        )
        .map_err(ConfigError)
    }
}

fn read_file_settings(path: &Path) -> Result<Settings, ConfigError> {
    let text = fs::read_to_string(path).map_err(|e| {
        ConfigError(format!(
            "BLOEI_CONFIG file {} cannot be read: {e}.",
            path.display()
        ))
    })?;
    toml::from_str(&text).map_err(|e| {
        let line = e.span().map_or(String::new(), |span| {
            let number = text[..span.start].matches('\n').count() + 1;
            let content = text.lines().nth(number - 1).unwrap_or_default().trim();
            format!(" at line {number} (`{content}`)")
        });
        ConfigError(format!(
            "BLOEI_CONFIG file {} is not valid{line}: {}.",
            path.display(),
            e.message().trim().trim_end_matches('.')
        ))
    })
}

fn ensure_writable_dir(dir: &Path) -> Result<(), ConfigError> {
    let fail = |e: std::io::Error| {
        ConfigError(format!(
            "BLOEI_DATA_DIR {} is not a writable directory: {e}.",
            dir.display()
        ))
    };
    fs::create_dir_all(dir).map_err(fail)?;
    let probe = unique_sibling(&dir.join("probe"), "write-test");
    fs::write(&probe, b"").map_err(fail)?;
    fs::remove_file(&probe).map_err(fail)
}

#[cfg(test)]
mod tests;
