//! E-mail: the outbox (every message is written in the transaction that causes it), the
//! transports that deliver it (SMTP, `.eml` files, memory), the message templates, and the
//! worker that sends due messages with retries and exponential backoff.

pub mod messages;
pub mod repo;
pub mod transport;
pub mod worker;
