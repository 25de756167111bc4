//! The sign-in limit: failed sign-ins are counted per (user name, client address) and per
//! client address, and each key waits a delay that doubles with every failure past its
//! allowance. No user is ever locked out from every address: failures from one address
//! slow down only that address, so nobody can lock the admin out by guessing wrongly.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use kumuh_store::Store;

/// Failed sign-ins one address may make for one user name before each further attempt
/// waits (1 s after the last, then 2 s, 4 s … up to [`LOGIN_MAX_DELAY`]).
pub const LOGIN_ATTEMPTS: u32 = 5;

/// Failed sign-ins one address may make over all user names before it waits: more than
/// [`LOGIN_ATTEMPTS`], because one office behind one address has several people.
pub const ADDRESS_ATTEMPTS: u32 = 20;

/// A key's failures are forgotten after this long without a new one.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// The longest a key waits between attempts.
pub const LOGIN_MAX_DELAY: Duration = Duration::from_secs(15 * 60);

/// Keys beyond this many are swept of forgotten ones, so made-up names and addresses
/// cannot grow the table without bound.
const SWEEP_ABOVE: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Failures {
    /// When the next attempt may be made, if the allowance is used up.
    fn next_allowed(&self, allowed: u32) -> Option<Instant> {
        Some(self.last + delay_after(self.count, allowed)?)
    }
}

/// How long after the last of `count` failures the next attempt waits, if `allowed` are
/// used up: 1 s after the first beyond them, doubling up to [`LOGIN_MAX_DELAY`].
fn delay_after(count: u32, allowed: u32) -> Option<Duration> {
    let over = count.checked_sub(allowed)?;
    Some(Duration::from_secs(1u64 << over.min(20)).min(LOGIN_MAX_DELAY))
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

const WINDOW_SECS: i64 = LOGIN_WINDOW.as_secs() as i64;

/// Counts failed sign-ins (see the module documentation). Addresses are the peer address
/// of the connection; an in-process call (no address) counts under one key of its own.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Failures>>,
}

fn keys(username: &str, addr: Option<IpAddr>) -> [(String, u32); 2] {
    let addr = addr.map_or_else(|| "local".to_owned(), |a| a.to_string());
    [
        (
            format!("user:{}@{addr}", username.trim().to_lowercase()),
            LOGIN_ATTEMPTS,
        ),
        (format!("ip:{addr}"), ADDRESS_ATTEMPTS),
    ]
}

impl LoginLimiter {
    /// Seconds `username` must wait before trying again from `addr`, if it must, counting
    /// both this server's failures and, where `store` keeps them for every server on it
    /// ([`Store::login_failure_log`]), the failures seen by all of them.
    pub async fn blocked_in(
        &self,
        store: &dyn Store,
        username: &str,
        addr: Option<IpAddr>,
    ) -> Option<u64> {
        let here = self.blocked(username, addr);
        let Some(log) = store.login_failure_log() else {
            return here;
        };
        let now = unix_now();
        let mut wait = here;
        for (key, allowed) in keys(username, addr) {
            match log.login_failures(&key, now, WINDOW_SECS).await {
                Ok(Some((count, last))) => {
                    let count = u32::try_from(count).unwrap_or(u32::MAX);
                    if let Some(delay) = delay_after(count, allowed) {
                        let next = last.saturating_add(delay.as_secs() as i64);
                        if next > now {
                            wait = wait.max(Some((next - now).unsigned_abs()));
                        }
                    }
                }
                Ok(None) => {}
                // This server's own count still holds while the database does not answer.
                Err(e) => tracing::warn!(error = %e, "reading the shared sign-in failures"),
            }
        }
        wait
    }

    /// Counts a failed sign-in here and, where `store` keeps them, for every server.
    pub async fn failed_in(&self, store: &dyn Store, username: &str, addr: Option<IpAddr>) {
        self.failed(username, addr);
        if let Some(log) = store.login_failure_log() {
            let now = unix_now();
            for (key, _) in keys(username, addr) {
                if let Err(e) = log.record_login_failure(&key, now, WINDOW_SECS).await {
                    tracing::warn!(error = %e, "counting a failed sign-in in the store");
                }
            }
        }
    }

    /// Forgets `username`'s failures from `addr` here and in `store`.
    pub async fn succeeded_in(&self, store: &dyn Store, username: &str, addr: Option<IpAddr>) {
        self.succeeded(username, addr);
        if let Some(log) = store.login_failure_log() {
            let [(user_key, _), _] = keys(username, addr);
            if let Err(e) = log.clear_login_failures(&user_key).await {
                tracing::warn!(error = %e, "clearing sign-in failures in the store");
            }
        }
    }

    /// Seconds `username` must wait before trying again from `addr`, if it must.
    pub fn blocked(&self, username: &str, addr: Option<IpAddr>) -> Option<u64> {
        self.blocked_at(username, addr, Instant::now())
    }

    /// Counts a failed sign-in of `username` from `addr`.
    pub fn failed(&self, username: &str, addr: Option<IpAddr>) {
        self.failed_at(username, addr, Instant::now());
    }

    /// Forgets the failures of `username` from `addr` after a successful sign-in. The
    /// address's own count stays: one good account must not reset guessing at others.
    pub fn succeeded(&self, username: &str, addr: Option<IpAddr>) {
        let [(user_key, _), _] = keys(username, addr);
        self.lock().remove(&user_key);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Failures>> {
        self.failures.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn blocked_at(&self, username: &str, addr: Option<IpAddr>, now: Instant) -> Option<u64> {
        let map = self.lock();
        keys(username, addr)
            .iter()
            .filter_map(|(key, allowed)| {
                let f = map.get(key)?;
                if now.saturating_duration_since(f.last) >= LOGIN_WINDOW {
                    return None;
                }
                let left = f.next_allowed(*allowed)?.saturating_duration_since(now);
                // Retry-After is whole seconds: round up so that waiting it is enough.
                (!left.is_zero()).then(|| left.as_millis().div_ceil(1000) as u64)
            })
            .max()
    }

    fn failed_at(&self, username: &str, addr: Option<IpAddr>, now: Instant) {
        let mut map = self.lock();
        if map.len() > SWEEP_ABOVE {
            map.retain(|_, f| now.saturating_duration_since(f.last) < LOGIN_WINDOW);
        }
        for (key, _) in keys(username, addr) {
            let f = map.entry(key).or_insert(Failures {
                count: 0,
                last: now,
            });
            if now.saturating_duration_since(f.last) >= LOGIN_WINDOW {
                f.count = 0;
            }
            f.count += 1;
            f.last = now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1)));
    const B: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 7)));

    fn fail_n(l: &LoginLimiter, user: &str, addr: Option<IpAddr>, n: u32, at: Instant) {
        for _ in 0..n {
            l.failed_at(user, addr, at);
        }
    }

    #[test]
    fn the_delay_doubles_past_the_allowance_and_only_for_that_address() {
        let l = LoginLimiter::default();
        let t0 = Instant::now();
        fail_n(&l, "admin", A, LOGIN_ATTEMPTS - 1, t0);
        assert_eq!(l.blocked_at("admin", A, t0), None);
        l.failed_at("admin", A, t0);
        assert_eq!(l.blocked_at("admin", A, t0), Some(1));
        assert_eq!(l.blocked_at("Admin ", A, t0), Some(1), "names fold case");
        assert_eq!(l.blocked_at("admin", B, t0), None);
        assert_eq!(l.blocked_at("budi", A, t0), None);
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!(l.blocked_at("admin", A, t1), None);
        l.failed_at("admin", A, t1);
        assert_eq!(l.blocked_at("admin", A, t1), Some(2));
        let t2 = t1 + Duration::from_secs(2);
        l.failed_at("admin", A, t2);
        assert_eq!(l.blocked_at("admin", A, t2), Some(4));
    }

    #[test]
    fn the_delay_is_capped_and_failures_are_forgotten_after_the_window() {
        let l = LoginLimiter::default();
        let t0 = Instant::now();
        fail_n(&l, "admin", A, 200, t0);
        assert_eq!(
            l.blocked_at("admin", A, t0),
            Some(LOGIN_MAX_DELAY.as_secs())
        );
        let later = t0 + LOGIN_WINDOW;
        assert_eq!(l.blocked_at("admin", A, later), None);
        l.failed_at("admin", A, later);
        assert_eq!(
            l.blocked_at("admin", A, later),
            None,
            "counting starts again"
        );
    }

    #[test]
    fn one_address_guessing_many_names_waits_too() {
        let l = LoginLimiter::default();
        let t0 = Instant::now();
        for i in 0..ADDRESS_ATTEMPTS {
            l.failed_at(&format!("user{i}"), A, t0);
        }
        assert_eq!(l.blocked_at("someone-else", A, t0), Some(1));
        assert_eq!(l.blocked_at("someone-else", B, t0), None);
    }

    #[test]
    fn success_forgets_the_user_but_not_the_address() {
        let l = LoginLimiter::default();
        let t0 = Instant::now();
        fail_n(&l, "admin", A, LOGIN_ATTEMPTS, t0);
        for i in 0..ADDRESS_ATTEMPTS - LOGIN_ATTEMPTS {
            l.failed_at(&format!("user{i}"), A, t0);
        }
        l.succeeded("admin", A);
        assert_eq!(
            l.blocked_at("admin", A, t0),
            Some(1),
            "the address still waits"
        );
        let l = LoginLimiter::default();
        fail_n(&l, "admin", A, LOGIN_ATTEMPTS, t0);
        l.succeeded("admin", A);
        assert_eq!(l.blocked_at("admin", A, t0), None);
    }
}
