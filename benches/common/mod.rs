//! What the benchmarks share: settings from the environment, reading a form field out of a
//! page, and starting the real application on a random port.

use std::sync::mpsc;

use bloei::config::Config;
use bloei::db::Db;
use bloei::startup::Application;

/// The environment variable `name` parsed, or `default`.
pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The value of the first `name="…" value="…"` input in `html`.
pub fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .map(|i| i + marker.len())
        .unwrap_or_else(|| panic!("no {name} in page"));
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Starts the shop on its own thread; its base URL.
pub fn serve(config: Config, db: Db) -> String {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let app = Application::build(config, db).expect("server");
            tx.send(app.port()).unwrap();
            app.run().await.unwrap();
        })
    });
    format!("http://127.0.0.1:{}", rx.recv().unwrap())
}
