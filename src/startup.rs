//! Building and starting the application. The route table lives here once and is shared by
//! `bloei serve` and the test suite, so tests exercise exactly what runs in production.

use std::net::TcpListener;
use std::sync::Arc;

use actix_session::SessionMiddleware;
use actix_session::config::CookieContentSecurity;
use actix_session::storage::CookieSessionStore;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::catalog::cache::CatalogueCache;
use crate::config::{Config, ConfigError};
use crate::db::Db;
use crate::error::AppError;
use crate::telemetry::{self, PrivacyRootSpan};
use crate::web::{AppState, assets, csrf, errors, headers, health, lang};
use crate::{catalog, ordering, privacy, staff};

use crate::web::session_keys::SESSION_COOKIE;

/// Why the application could not start; each message is one sentence naming what to fix.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// A setting is wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The database could not be opened, migrated or seeded.
    #[error("{0}")]
    Database(String),
    /// The listen address could not be bound.
    #[error("{0}")]
    Listen(String),
}

/// Connects to the database, applies pending migrations, replays the erasures a restore left
/// pending and, when enabled, fills an empty catalogue with the demo products.
pub fn prepare_database(config: &Config) -> Result<Db, StartupError> {
    let db = Db::connect(&config.database, config.db_pool_size).map_err(StartupError::Database)?;
    let applied = db.migrate().map_err(StartupError::Database)?;
    if !applied.is_empty() {
        tracing::info!(count = applied.len(), "applied database migrations");
    }
    // A restore that stopped before its erasures were replayed: replay them now; nothing
    // serves or runs on this database until that is done (P9).
    replay_erasures(config, &db)?;
    if config.demo_seed {
        let mut conn = db
            .conn()
            .map_err(|e| StartupError::Database(e.to_string()))?;
        if let Some(report) = catalog::seed::seed_if_empty(&mut conn, seed_demo_delivery)
            .map_err(StartupError::Database)?
        {
            tracing::info!(products = report.products, "loaded the demo catalogue");
        }
    }
    Ok(db)
}

/// Replays the erasures a restore left pending (see
/// [`crate::privacy::erasure_log::replay_pending`]); `None` when none was pending.
pub fn replay_erasures(config: &Config, db: &Db) -> Result<Option<usize>, StartupError> {
    use crate::privacy::erasure_log::{self, ErasureLog};
    let mut conn = db
        .conn()
        .map_err(|e| StartupError::Database(e.to_string()))?;
    // The data key is only needed when there is something to replay: commands that never touch
    // sealed data (seed-demo, migrations) keep working without one.
    if !erasure_log::replay_is_pending(&mut conn)
        .map_err(|e| StartupError::Database(e.to_string()))?
    {
        return Ok(None);
    }
    let key = crate::domain::sealed::DataKey::from_material(&config.data_key()?);
    let log = ErasureLog::in_dir(&config.data_dir);
    let replayed = erasure_log::replay_pending(&mut conn, &key, &log).map_err(|e| {
        StartupError::Database(format!(
            "the erasures since the restored backup could not be replayed: {e}; nothing will \
             run on this database until they are."
        ))
    })?;
    if let Some(count) = replayed {
        if let Err(e) = crate::db::scrub(&mut conn, crate::privacy::erasure::TABLES) {
            tracing::warn!(error = %e, "could not compact the database after replaying erasures");
        }
        tracing::info!(
            erased = count,
            "replayed the erasures since the restored backup"
        );
    }
    Ok(replayed)
}

/// The demo shop's delivery zones and calendar, seeded with the demo catalogue.
pub fn seed_demo_delivery(conn: &mut crate::db::DbConn) -> diesel::QueryResult<()> {
    crate::delivery::seed::seed_demo(conn, chrono::Datelike::year(&chrono::Utc::now()))
}

/// Consumer account routes.
fn account_routes(cfg: &mut web::ServiceConfig) {
    use crate::accounts::{auth_routes as a, routes as r};
    use crate::ordering::history_routes as h;
    cfg.service(
        resource("/account/registreren")
            .route(web::get().to(a::register_form))
            .route(web::post().to(a::register)),
    )
    .service(
        resource("/account/bevestigen/{token}")
            .route(web::get().to(a::verify_page))
            .route(web::post().to(a::verify)),
    )
    .service(resource("/account/bevestiging-opnieuw").route(web::post().to(a::resend_verification)))
    .service(
        resource("/account/inloggen")
            .route(web::get().to(a::login_form))
            .route(web::post().to(a::login)),
    )
    .service(resource("/account/uitloggen").route(web::post().to(a::logout)))
    .service(
        resource("/account/wachtwoord-vergeten")
            .route(web::get().to(a::forgot_form))
            .route(web::post().to(a::forgot)),
    )
    .service(
        resource("/account/wachtwoord-herstellen/{token}")
            .route(web::get().to(a::reset_form))
            .route(web::post().to(a::reset)),
    )
    .service(resource("/account").route(web::get().to(r::overview)))
    .service(resource("/account/gegevens").route(web::post().to(r::update_profile)))
    .service(resource("/account/e-mail").route(web::post().to(r::change_email)))
    .service(
        resource("/account/e-mail/bevestigen/{token}")
            .route(web::get().to(r::confirm_email_page))
            .route(web::post().to(r::confirm_email)),
    )
    .service(resource("/account/wachtwoord").route(web::post().to(r::change_password)))
    .service(
        resource("/account/adressen")
            .route(web::get().to(r::addresses))
            .route(web::post().to(r::add_address)),
    )
    .service(
        resource("/account/adressen/{id}/verwijderen")
            .route(web::get().to(r::confirm_delete_address))
            .route(web::post().to(r::delete_address)),
    )
    .service(resource("/account/bestellingen/{number}").route(web::get().to(h::order)))
    .service(resource("/account/bestellingen/{number}/opnieuw").route(web::post().to(h::reorder)));
}

/// Business client routes, and the back office's company and invoice pages.
fn business_routes(cfg: &mut web::ServiceConfig) {
    use crate::business::routes as b;
    use crate::staff::business_routes as s;
    cfg.service(resource("/zakelijk").route(web::get().to(b::company)))
        .service(
            resource("/zakelijk/registreren")
                .route(web::get().to(b::register_form))
                .route(web::post().to(b::register)),
        )
        .service(resource("/zakelijk/uitnodigen").route(web::post().to(b::invite)))
        .service(
            resource("/zakelijk/gebruikers/{id}/verwijderen")
                .route(web::get().to(b::confirm_remove))
                .route(web::post().to(b::remove)),
        )
        .service(
            resource("/zakelijk/uitnodiging/{token}")
                .route(web::get().to(b::invitation))
                .route(web::post().to(b::accept)),
        )
        .service(resource("/zakelijk/facturen/{id}").route(web::get().to(b::company_invoice)))
        .service(resource("/medewerkers/bedrijven").route(web::get().to(s::companies)))
        .service(
            resource("/medewerkers/bedrijven/{id}/goedkeuren").route(web::post().to(s::approve)),
        )
        .service(
            resource("/medewerkers/facturen")
                .route(web::get().to(s::invoices))
                .route(web::post().to(s::issue)),
        )
        .service(resource("/medewerkers/facturen/{id}").route(web::get().to(s::invoice)))
        .service(
            resource("/medewerkers/nieuwsbrief")
                .route(web::get().to(crate::staff::privacy_routes::form))
                .route(web::post().to(crate::staff::privacy_routes::unsubscribe)),
        );
}

/// Privacy self-service routes: cookies, newsletter.
fn privacy_routes(cfg: &mut web::ServiceConfig) {
    use crate::privacy::{choices as p, cookies as c, newsletter_routes as n, self_service as s};
    cfg.service(
        resource("/account/privacy")
            .route(web::get().to(p::page))
            .route(web::post().to(p::choose)),
    )
    .service(
        resource("/account/gelegenheden")
            .route(web::get().to(crate::privacy::occasions::page))
            .route(web::post().to(crate::privacy::occasions::add)),
    )
    .service(
        resource("/account/gelegenheden/{id}/verwijderen")
            .route(web::post().to(crate::privacy::occasions::delete)),
    )
    .service(resource("/account/mijn-gegevens").route(web::get().to(s::my_data)))
    .service(resource("/account/mijn-gegevens/download").route(web::post().to(s::download)))
    .service(
        resource("/account/verwijderen")
            .route(web::get().to(s::confirm_delete))
            .route(web::post().to(s::delete)),
    )
    .service(
        resource("/cookies")
            .route(web::get().to(c::settings))
            .route(web::post().to(c::choose)),
    )
    .service(
        resource("/nieuwsbrief")
            .route(web::get().to(n::form))
            .route(web::post().to(n::sign_up)),
    )
    .service(
        resource("/nieuwsbrief/bevestigen/{token}")
            .route(web::get().to(n::confirm_page))
            .route(web::post().to(n::confirm)),
    )
    .service(
        resource("/nieuwsbrief/afmelden/{token}")
            .route(web::get().to(n::unsubscribe_page))
            .route(web::post().to(n::unsubscribe)),
    )
    .configure(contact_routes)
    .service(
        resource("/herinneringen/stoppen/{token}")
            .route(web::get().to(crate::privacy::reminder_stop::page))
            .route(web::post().to(crate::privacy::reminder_stop::stop)),
    );
}

/// The contact and complaint forms (P7). Their posts may be larger than other forms', so a
/// pasted 100 kB letter gets a page naming the limit instead of a bare error.
fn contact_routes(cfg: &mut web::ServiceConfig) {
    use crate::privacy::contact_routes as c;
    let big = || web::FormConfig::default().limit(256 * 1024);
    cfg.service(
        resource("/contact")
            .app_data(big())
            .route(web::get().to(c::question_form))
            .route(web::post().to(c::send_question)),
    )
    .service(
        resource("/klacht")
            .app_data(big())
            .route(web::get().to(c::complaint_form))
            .route(web::post().to(c::send_complaint)),
    )
    .service(resource("/contact/verzonden").route(web::get().to(c::sent)))
    .service(
        resource("/verzoek/bevestigen/{token}")
            .route(web::get().to(crate::privacy::request_routes::confirm_page))
            .route(web::post().to(crate::privacy::request_routes::confirm)),
    )
    .service(
        resource("/verzoek/download/{token}")
            .route(web::get().to(crate::privacy::request_routes::download_page))
            .route(web::post().to(crate::privacy::request_routes::download)),
    );
}

/// The route table.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/").route(web::get().to(catalog::routes::home)))
        .service(resource("/categorie/{slug}").route(web::get().to(catalog::routes::category)))
        .service(resource("/product/{slug}").route(web::get().to(catalog::routes::product)))
        .service(resource("/privacy").route(web::get().to(privacy::routes::privacy)))
        .service(resource("/privacy/gelezen").route(web::post().to(privacy::routes::acknowledge)))
        .service(resource("/taal").route(web::post().to(lang::switch)))
        .service(resource("/winkelwagen").route(web::get().to(ordering::routes::show)))
        .service(
            resource("/afrekenen")
                .route(web::get().to(ordering::checkout_routes::form))
                .route(web::post().to(ordering::checkout_routes::review)),
        )
        .service(
            resource("/afrekenen/bestellen")
                .route(web::post().to(ordering::checkout_routes::place)),
        )
        .service(
            resource("/bestelling/{token}").route(web::get().to(ordering::payment_routes::status)),
        )
        .service(
            resource("/testbetaling/{id}")
                .route(web::get().to(ordering::payment_routes::test_payment))
                .route(web::post().to(ordering::payment_routes::test_payment_settle)),
        )
        .service(
            resource("/betaling/webhook").route(web::post().to(ordering::payment_routes::webhook)),
        )
        .service(resource("/winkelwagen/toevoegen").route(web::post().to(ordering::routes::add)))
        .service(resource("/winkelwagen/aantal").route(web::post().to(ordering::routes::update)))
        .service(
            resource("/winkelwagen/verwijderen").route(web::post().to(ordering::routes::remove)),
        )
        .service(
            resource("/healthz")
                .route(web::get().to(health::healthz))
                .route(web::head().to(health::healthz)),
        )
        .service(
            resource("/readyz")
                .route(web::get().to(crate::ops::readyz))
                .route(web::head().to(crate::ops::readyz)),
        )
        .service(resource("/static/{path:.*}").route(web::get().to(assets::serve)))
        .service(resource("/fotos/{file}").route(web::get().to(catalog::routes::photo)))
        .service(
            resource("/medewerkers/inloggen")
                .route(web::get().to(staff::auth::login_form))
                .route(web::post().to(staff::auth::login)),
        )
        .service(
            resource("/medewerkers/tweestaps")
                .route(web::get().to(staff::two_step_routes::form))
                .route(web::post().to(staff::two_step_routes::check)),
        )
        .service(
            resource("/medewerkers/tweestaps/instellen")
                .route(web::get().to(staff::two_step_routes::setup))
                .route(web::post().to(staff::two_step_routes::confirm)),
        )
        .configure(account_routes)
        .configure(privacy_routes)
        .configure(business_routes)
        .service(resource("/medewerkers/uitloggen").route(web::post().to(staff::auth::logout)))
        .configure(office_routes)
        .configure(|cfg| staff::catalogue_routes::configure(cfg, resource))
        .configure(|cfg| staff::orders_routes::configure(cfg, resource))
        .configure(|cfg| staff::messages_routes::configure(cfg, resource))
        .configure(|cfg| staff::requests_routes::configure(cfg, resource))
        .configure(|cfg| staff::processors_routes::configure(cfg, resource))
        .service(
            resource("/medewerkers/verstrekkingen")
                .route(web::get().to(staff::disclosures_routes::register))
                .route(web::post().to(staff::disclosures_routes::record)),
        )
        .service(resource("/medewerkers/auditlog").route(web::get().to(staff::audit_log::page)))
        .service(resource("/medewerkers/productie").route(web::get().to(staff::routes::board)))
        .service(resource("/medewerkers/bezorging").route(web::get().to(staff::routes::courier)))
        .service(
            resource("/medewerkers/bezorging/rit").route(web::post().to(staff::routes::assign_all)),
        )
        .service(resource("/medewerkers/werkbonnen").route(web::get().to(staff::routes::tickets)))
        .service(
            resource("/medewerkers/bestellingen/{id}/werkbon")
                .route(web::get().to(staff::routes::ticket)),
        )
        .service(
            resource("/medewerkers/bestellingen/{id}/koerier")
                .route(web::post().to(staff::routes::assign_run)),
        )
        .service(
            resource("/medewerkers/bestellingen/{id}/status")
                .route(web::post().to(staff::routes::move_order)),
        );
}

/// The back office's start page, calendar and zones.
fn office_routes(cfg: &mut web::ServiceConfig) {
    use staff::office_routes as o;
    cfg.service(resource("/medewerkers").route(web::get().to(o::home)))
        .service(resource("/medewerkers/kalender").route(web::get().to(o::calendar)))
        .service(
            resource("/medewerkers/kalender/{datum}")
                .route(web::get().to(o::day_form))
                .route(web::post().to(o::change_day)),
        )
        .service(
            resource("/medewerkers/zones")
                .route(web::get().to(o::zones))
                .route(web::post().to(o::add_zone)),
        )
        .service(
            resource("/medewerkers/zones/{id}")
                .route(web::get().to(o::zone_form))
                .route(web::post().to(o::change_zone)),
        )
        .service(
            resource("/medewerkers/nieuwsbrief/schrijven")
                .route(web::get().to(staff::compose::form))
                .route(web::post().to(staff::compose::act)),
        )
        .service(
            resource("/medewerkers/team")
                .route(web::get().to(staff::team_routes::team))
                .route(web::post().to(staff::team_routes::add)),
        )
        .service(
            resource("/medewerkers/team/{id}").route(web::get().to(staff::team_routes::member)),
        )
        .service(
            resource("/medewerkers/team/{id}/{actie}")
                .route(web::get().to(staff::team_routes::confirm))
                .route(web::post().to(staff::team_routes::apply)),
        )
        .service(
            resource("/medewerkers/zones/{id}/verwijderen")
                .route(web::get().to(o::confirm_delete_zone))
                .route(web::post().to(o::delete_zone)),
        );
}

/// A resource that answers a method it does not support with 405 (a resource without its own
/// default would fall through to the app's 404).
fn resource(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(method_not_allowed))
}

async fn not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound)
}

async fn method_not_allowed() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::MethodNotAllowed)
}

/// A bound, not yet running server (and its metrics listener, when configured).
pub struct Application {
    server: Server,
    port: u16,
    metrics: Option<(Server, u16)>,
}

impl Application {
    /// Binds the configured address and builds the server around an open database.
    pub fn build(config: Config, db: Db) -> Result<Application, StartupError> {
        let listener = TcpListener::bind(&config.listen).map_err(|e| {
            StartupError::Listen(format!(
                "BLOEI_LISTEN {} cannot be used: {e}.",
                config.listen
            ))
        })?;
        let port = listener
            .local_addr()
            .map_err(|e| StartupError::Listen(e.to_string()))?
            .port();
        let key = Key::try_from(config.secret_key()?.as_slice()).map_err(|e| {
            StartupError::Config(ConfigError(format!("BLOEI_SECRET_KEY is not usable: {e}.")))
        })?;
        let https = config.is_https();
        let tracking_origin = config.privacy.tracking_origin();
        let workers = config.workers;
        let run_worker = config.run_worker;
        let jobs = crate::jobs::Jobs::new(&config, &db)?;
        let metrics_listen = config.metrics_listen.clone();
        // Each capability's own shared things, registered as their own `app_data`.
        let catalogue = web::Data::new(CatalogueCache::new(config.catalogue_cache));
        let plans = web::Data::new(crate::delivery::service::PlanCache::new(
            config.catalogue_cache,
            &config.delivery,
        ));
        let payments = web::Data::new(crate::payment::Payments(
            crate::payment::Provider::from_config(&config, &db),
        ));
        let data_key = web::Data::new(crate::domain::sealed::DataKey::from_material(
            &config.data_key()?,
        ));
        let statement_version: crate::web::StatementVersion = {
            let base = crate::privacy::statement::current_version(&config.privacy);
            let privacy = config.privacy.clone();
            Arc::new(move |conn: &mut crate::db::DbConn| {
                crate::privacy::processors::current_version(conn, &base, &privacy)
            })
        };
        let state = web::Data::new(AppState {
            statement_version,
            customer_logins: Arc::new(crate::web::rate_limit::Limits::logins()),
            account_mails: Arc::new(crate::web::rate_limit::Limits::account_mails()),
            contact_messages: Arc::new(crate::web::rate_limit::Limits::contact_messages()),
            logins: Arc::new(crate::web::rate_limit::Limits::logins()),
            second_steps: Arc::new(crate::web::rate_limit::Limits::second_steps()),
            db,
            config: Arc::new(config),
        });
        let metrics = match metrics_listen {
            Some(address) => Some(
                crate::ops::metrics_server(&address, state.db.clone(), catalogue.clone())
                    .map_err(StartupError::Listen)?,
            ),
            None => None,
        };
        let server = HttpServer::new(move || {
            let session = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                .cookie_name(SESSION_COOKIE.to_owned())
                .cookie_content_security(CookieContentSecurity::Private)
                .cookie_http_only(true)
                .cookie_same_site(SameSite::Lax)
                .cookie_secure(https)
                .build();
            // Middleware runs outermost last: logging sees everything; the error pages need
            // the session (for the language switch's token); CSRF sits closest to handlers.
            App::new()
                .app_data(state.clone())
                .app_data(catalogue.clone())
                .app_data(plans.clone())
                .app_data(payments.clone())
                .app_data(data_key.clone())
                .app_data(web::FormConfig::default().limit(64 * 1024))
                .configure(routes)
                .default_service(web::to(not_found))
                .wrap(from_fn(csrf::protect))
                .wrap(errors::error_pages())
                .wrap(session)
                .wrap(headers::security_headers(https, tracking_origin.as_deref()))
                .wrap(Compress::default())
                .wrap(from_fn(telemetry::observe))
                .wrap(TracingLogger::<PrivacyRootSpan>::new())
        })
        .workers(workers)
        .listen(listener)
        .map_err(|e| StartupError::Listen(format!("BLOEI_LISTEN: {e}.")))?
        .run();
        // The worker lives as long as the server's runtime (every instance runs one, unless
        // told not to).
        if run_worker {
            actix_web::rt::spawn(jobs.run());
        }
        Ok(Application {
            server,
            port,
            metrics,
        })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The metrics listener's port, when metrics are on.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(_, port)| *port)
    }

    /// Runs until stopped (Ctrl-C or SIGTERM finish in-flight requests first); the metrics
    /// listener stops with the shop.
    pub async fn run(self) -> std::io::Result<()> {
        let Some((metrics, _)) = self.metrics else {
            return self.server.await;
        };
        let metrics_handle = metrics.handle();
        actix_web::rt::spawn(metrics);
        let outcome = self.server.await;
        metrics_handle.stop(true).await;
        outcome
    }

    /// The server handle, to stop it from elsewhere.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }
}
