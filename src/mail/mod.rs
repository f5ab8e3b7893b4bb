//! E-mail plumbing: the outbox (every message is written in the transaction that causes it),
//! the transports that deliver it (SMTP, `.eml` files, memory), and the sender that delivers
//! due messages with retries and exponential backoff (scheduled by `jobs`). Each capability
//! renders its own messages into a [`messages::Rendered`]; mail knows no capability.

pub mod messages;
pub mod repo;
pub mod transport;
pub mod worker;
