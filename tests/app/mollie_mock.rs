//! A local stand-in for Mollie's v2 payments API, answering with the responses Mollie documents
//! (<https://docs.mollie.com/reference/create-payment>, `get-payment`): `POST /v2/payments`
//! and `GET /v2/payments/{id}`; `POST /v2/payments/{id}/refunds`
//! (<https://docs.mollie.com/reference/create-refund>), honouring `Idempotency-Key`. Tests set a
//! payment's status here, as a customer paying at Mollie would, and read what the shop sent.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::{Value, json};

/// The API key the shop is configured with in these tests.
pub const API_KEY: &str = "test_dHar4XY7LxsDOtmnkVtjNVWXLSlXsM";

#[derive(Default)]
struct State {
    payments: HashMap<String, Value>,
    /// Every `POST /v2/payments` body, in order.
    created: Vec<Value>,
    fetches: usize,
    /// Every refund request that reached the API, with its idempotency key.
    refund_calls: Vec<(String, Option<String>)>,
    /// Refunds made, by idempotency key (a repeated key gets the first answer).
    refunds: HashMap<String, Value>,
    down: bool,
    next_id: usize,
}

/// The running mock.
pub struct MollieMock {
    /// Its API base, e.g. `http://127.0.0.1:PORT/v2`.
    pub api_url: String,
    state: Arc<Mutex<State>>,
    handle: actix_web::dev::ServerHandle,
    thread: Option<JoinHandle<()>>,
}

fn hal(status: u16, body: Value) -> HttpResponse {
    HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
        .content_type("application/hal+json")
        .body(body.to_string())
}

fn error(status: u16, title: &str, detail: &str) -> HttpResponse {
    hal(
        status,
        json!({
            "status": status,
            "title": title,
            "detail": detail,
            "_links": {"documentation": {
                "href": "https://docs.mollie.com/overview/handling-errors",
                "type": "text/html"
            }}
        }),
    )
}

/// What Mollie answers before looking at a request: down, or a missing or wrong key.
fn refusal(state: &State, req: &HttpRequest) -> Option<HttpResponse> {
    if state.down {
        return Some(error(503, "Service Unavailable", "Try again later"));
    }
    let authorised = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        == Some(&format!("Bearer {API_KEY}"));
    (!authorised).then(|| {
        error(
            401,
            "Unauthorized Request",
            "Missing authentication, or failed to authenticate",
        )
    })
}

async fn create(
    req: HttpRequest,
    body: web::Json<Value>,
    state: web::Data<Arc<Mutex<State>>>,
) -> HttpResponse {
    let mut state = state.lock().unwrap();
    if let Some(refusal) = refusal(&state, &req) {
        return refusal;
    }
    let body = body.into_inner();
    state.next_id += 1;
    let id = format!("tr_WDqYK6vl{:02}", state.next_id);
    let token = id.trim_start_matches("tr_");
    let payment = json!({
        "resource": "payment",
        "id": id,
        "mode": "test",
        "createdAt": "2026-11-25T13:13:37+00:00",
        "amount": body["amount"],
        "description": body["description"],
        "method": null,
        "metadata": body["metadata"],
        "status": "open",
        "isCancelable": false,
        "expiresAt": "2026-11-25T13:28:37+00:00",
        "details": null,
        "profileId": "pfl_QkEhN94Ba",
        "sequenceType": "oneoff",
        "redirectUrl": body["redirectUrl"],
        "webhookUrl": body["webhookUrl"],
        "_links": {
            "self": {"href": format!("https://api.mollie.com/v2/payments/{id}"), "type": "application/hal+json"},
            "checkout": {"href": format!("https://www.mollie.com/checkout/select-method/{token}"), "type": "text/html"},
            "dashboard": {"href": format!("https://www.mollie.com/dashboard/org_12345678/payments/{id}"), "type": "text/html"},
            "documentation": {"href": "https://docs.mollie.com/reference/create-payment", "type": "text/html"}
        }
    });
    state.created.push(body);
    state.payments.insert(id, payment.clone());
    hal(201, payment)
}

async fn fetch(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<Arc<Mutex<State>>>,
) -> HttpResponse {
    let mut state = state.lock().unwrap();
    if let Some(refusal) = refusal(&state, &req) {
        return refusal;
    }
    state.fetches += 1;
    match state.payments.get(id.as_str()) {
        Some(payment) => hal(200, payment.clone()),
        None => error(
            404,
            "Not Found",
            &format!("No payment exists with token {id}."),
        ),
    }
}

async fn refund(
    req: HttpRequest,
    id: web::Path<String>,
    body: web::Json<Value>,
    state: web::Data<Arc<Mutex<State>>>,
) -> HttpResponse {
    let mut state = state.lock().unwrap();
    if let Some(refusal) = refusal(&state, &req) {
        return refusal;
    }
    let key = req
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    state.refund_calls.push((id.to_string(), key.clone()));
    if let Some(earlier) = key.as_ref().and_then(|k| state.refunds.get(k)) {
        return hal(201, earlier.clone());
    }
    let Some(payment) = state.payments.get(id.as_str()).cloned() else {
        return error(
            404,
            "Not Found",
            &format!("No payment exists with token {id}."),
        );
    };
    if payment["status"] != "paid" {
        return error(
            422,
            "Unprocessable Entity",
            "The payment cannot be refunded",
        );
    }
    let asked: f64 = body["amount"]["value"]
        .as_str()
        .unwrap_or("0")
        .parse()
        .unwrap_or(0.0);
    let paid: f64 = payment["amount"]["value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    if asked > paid {
        return error(
            422,
            "Unprocessable Entity",
            "The amount is higher than the amount that can be refunded",
        );
    }
    let refund_id = format!("re_4qqhO89g{:02}", state.refunds.len() + 1);
    let refund = json!({
        "resource": "refund",
        "id": refund_id,
        "amount": body["amount"],
        "status": "pending",
        "createdAt": "2026-11-26T09:00:00+00:00",
        "description": body["description"],
        "paymentId": id.as_str(),
        "_links": {"self": {"href": format!("https://api.mollie.com/v2/payments/{id}/refunds/{refund_id}"), "type": "application/hal+json"}}
    });
    state
        .refunds
        .insert(key.unwrap_or_else(|| refund_id.clone()), refund.clone());
    hal(201, refund)
}

impl MollieMock {
    /// Starts the mock on a free loopback port.
    pub fn start() -> MollieMock {
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let data = web::Data::new(shared);
                let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("mock binds");
                let port = listener.local_addr().unwrap().port();
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(data.clone())
                        .route("/v2/payments", web::post().to(create))
                        .route("/v2/payments/{id}", web::get().to(fetch))
                        .route("/v2/payments/{id}/refunds", web::post().to(refund))
                })
                .workers(1)
                .listen(listener)
                .expect("mock listens")
                .run();
                tx.send((port, server.handle())).unwrap();
                server.await.unwrap();
            });
        });
        let (port, handle) = rx.recv().expect("mock started");
        MollieMock {
            api_url: format!("http://127.0.0.1:{port}/v2"),
            state,
            handle,
            thread: Some(thread),
        }
    }

    /// The customer finished paying at Mollie with this outcome (`paid`, `failed`, `canceled`,
    /// `expired`): the payment now reads as Mollie documents it for that status.
    pub fn settle(&self, id: &str, status: &str) {
        let mut state = self.state.lock().unwrap();
        let payment = state
            .payments
            .get_mut(id)
            .expect("a payment the shop created");
        payment["status"] = json!(status);
        let at = "2026-11-25T13:20:00+00:00";
        match status {
            "paid" => {
                payment["paidAt"] = json!(at);
                payment["method"] = json!("ideal");
                payment["amountRefunded"] = json!({"value": "0.00", "currency": "EUR"});
                payment["amountRemaining"] = payment["amount"].clone();
                payment["details"] = json!({
                    "consumerName": "T. TEST",
                    "consumerAccount": "NL17RABO0213698412",
                    "consumerBic": "TESTNL99"
                });
            }
            "failed" => payment["failedAt"] = json!(at),
            "canceled" => payment["canceledAt"] = json!(at),
            "expired" => payment["expiredAt"] = json!(at),
            _ => {}
        }
    }

    /// Makes Mollie report another amount for a payment (a tampered or mixed-up payment).
    pub fn set_amount(&self, id: &str, value: &str) {
        let mut state = self.state.lock().unwrap();
        state.payments.get_mut(id).unwrap()["amount"] = json!({"value": value, "currency": "EUR"});
    }

    /// Makes every call fail with 503 (`true`) or work again.
    pub fn set_down(&self, down: bool) {
        self.state.lock().unwrap().down = down;
    }

    /// Every create request the shop sent.
    pub fn created(&self) -> Vec<Value> {
        self.state.lock().unwrap().created.clone()
    }

    /// Every refund request the shop sent: `(payment id, idempotency key)`.
    pub fn refund_calls(&self) -> Vec<(String, Option<String>)> {
        self.state.lock().unwrap().refund_calls.clone()
    }

    /// How many times the shop fetched a payment.
    pub fn fetches(&self) -> usize {
        self.state.lock().unwrap().fetches
    }
}

impl Drop for MollieMock {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
