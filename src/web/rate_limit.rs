//! Limits on guessing: attempts at a login are counted per client address and per account, and
//! past the limit the visitor is told when to try again. The counters live in each instance's
//! memory (the `governor` crate's GCRA), so with several instances each allows its own share;
//! they keep only hashes of addresses and accounts, never the values themselves.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// How many attempts may come quickly, and how fast they are allowed again after that.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Attempts allowed at once.
    pub burst: u32,
    /// One more attempt is allowed after each such period.
    pub every: Duration,
}

/// The limits on one kind of attempt (logging in, say).
pub struct Limits {
    by_client: DefaultKeyedRateLimiter<u64>,
    by_account: DefaultKeyedRateLimiter<u64>,
    hasher: RandomState,
    checks: AtomicU64,
}

/// An attempt past the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooMany {
    /// How long until the next attempt is allowed.
    pub retry_after: Duration,
}

impl TooMany {
    /// The wait in whole minutes, at least one, for telling people.
    pub fn minutes(&self) -> u64 {
        self.retry_after.as_secs().div_ceil(60).max(1)
    }
}

fn quota(rule: Rule) -> Quota {
    Quota::with_period(rule.every.max(Duration::from_millis(1)))
        .expect("a period above zero")
        .allow_burst(NonZeroU32::new(rule.burst.max(1)).expect("at least one"))
}

impl Limits {
    /// Limits per client address and per account.
    pub fn new(per_client: Rule, per_account: Rule) -> Limits {
        Limits {
            by_client: DefaultKeyedRateLimiter::keyed(quota(per_client)),
            by_account: DefaultKeyedRateLimiter::keyed(quota(per_account)),
            hasher: RandomState::new(),
            checks: AtomicU64::new(0),
        }
    }

    /// Staff and customer logins: 5 tries at an account, then one every 3 minutes; 20 from one
    /// address (an office behind one router), then one every 30 seconds.
    pub fn logins() -> Limits {
        Limits::new(
            Rule {
                burst: 20,
                every: Duration::from_secs(30),
            },
            Rule {
                burst: 5,
                every: Duration::from_secs(180),
            },
        )
    }

    /// Second login steps (a code after the right password): 5 tries, then one every 15 minutes,
    /// so guessing one of the three valid codes stays out of reach (about 100 tries a day).
    pub fn second_steps() -> Limits {
        Limits::new(
            Rule {
                burst: 20,
                every: Duration::from_secs(30),
            },
            Rule {
                burst: 5,
                every: Duration::from_secs(900),
            },
        )
    }

    /// What sends an account e-mail (registering, a reset link, a new confirmation link): 3 per
    /// address, then one every 10 minutes, so nobody's mailbox can be flooded; 10 from one
    /// client address, then one a minute.
    pub fn account_mails() -> Limits {
        Limits::new(
            Rule {
                burst: 10,
                every: Duration::from_secs(60),
            },
            Rule {
                burst: 3,
                every: Duration::from_secs(600),
            },
        )
    }

    /// Questions and complaints: 5 from one address, then one every 10 minutes; 10 from one
    /// client address, then one every 5 minutes — room for a follow-up, not for a flood in the
    /// staff queue.
    pub fn contact_messages() -> Limits {
        Limits::new(
            Rule {
                burst: 10,
                every: Duration::from_secs(300),
            },
            Rule {
                burst: 5,
                every: Duration::from_secs(600),
            },
        )
    }

    /// Counts an attempt from `client` at `account` (compared case-insensitively); refused when
    /// either has used up its attempts.
    pub fn attempt(&self, client: Option<IpAddr>, account: &str) -> Result<(), TooMany> {
        // Forget keys that have recovered fully, now and then, so memory stays bounded.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
            self.by_client.retain_recent();
            self.by_account.retain_recent();
        }
        let now = DefaultClock::default().now();
        let refused = |n: governor::NotUntil<_>| TooMany {
            retry_after: n.wait_time_from(now),
        };
        if let Some(client) = client {
            self.by_client
                .check_key(&self.hasher.hash_one(client))
                .map_err(refused)?;
        }
        let account = account.trim().to_lowercase();
        self.by_account
            .check_key(&self.hasher.hash_one(account))
            .map_err(refused)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_refused_after_its_burst_and_others_still_pass() {
        let limits = Limits::new(
            Rule {
                burst: 100,
                every: Duration::from_secs(1),
            },
            Rule {
                burst: 3,
                every: Duration::from_secs(120),
            },
        );
        let ip = Some("192.0.2.1".parse().unwrap());
        for _ in 0..3 {
            assert!(limits.attempt(ip, "jan@example.nl").is_ok());
        }
        let refused = limits.attempt(ip, "JAN@example.nl ").unwrap_err();
        assert!(refused.retry_after > Duration::from_secs(100));
        assert_eq!(refused.minutes(), 2);
        assert!(limits.attempt(ip, "piet@example.nl").is_ok());
    }

    #[test]
    fn one_address_is_refused_after_its_burst_whatever_account_it_tries() {
        let limits = Limits::logins();
        let ip = Some("198.51.100.7".parse().unwrap());
        for i in 0..20 {
            assert!(limits.attempt(ip, &format!("user{i}@example.nl")).is_ok());
        }
        assert!(limits.attempt(ip, "another@example.nl").is_err());
        let elsewhere = Some("198.51.100.8".parse().unwrap());
        assert!(limits.attempt(elsewhere, "another@example.nl").is_ok());
    }
}
