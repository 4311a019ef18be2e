//! The Kandji rate budget, shared by every replica of one tenant.
//!
//! Kandji allows a tenant 50 requests per second and 10,000 per hour, whatever number of
//! gateways ask. Each replica's governor limiter only knows its own calls, so with Redis the
//! replicas draw from one budget instead: a Lua script, run atomically by Redis with Redis's own
//! clock, applies GCRA to the per-second and per-hour limits together and hands each caller a
//! slot, telling it how long to wait for it. The same quota shape as the local limiter applies:
//! a burst of a tenth of the rate, because Kong counts fixed windows and a full burst at the end
//! of one window plus the steady rate in the next would exceed the limit.
//!
//! A slot further away than [`MAX_RESERVATION`] is not taken (the hourly budget is spent): the
//! caller sleeps and asks again. When Redis fails, [`SharedBudget::acquire`] returns the error
//! and the caller uses its local limiter instead.

use std::sync::LazyLock;
use std::time::Duration;

use super::{SharedError, SharedTier};

/// The longest wait a caller is given a slot for; beyond it the script only says how long.
pub const MAX_RESERVATION: Duration = Duration::from_secs(5);

/// GCRA over any number of limits at once. KEYS: one theoretical-arrival-time key per limit.
/// ARGV: the longest reservation, then per limit its emission interval and burst tolerance, all
/// in microseconds. Returns `{granted (1 or 0), wait in microseconds}`.
const RESERVE: &str = r"
if redis.replicate_commands then pcall(redis.replicate_commands) end
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local max_wait = tonumber(ARGV[1])
local at = now
local tats = {}
for i, key in ipairs(KEYS) do
  local tat = tonumber(redis.call('GET', key) or now)
  tats[i] = tat
  local earliest = tat - tonumber(ARGV[2 * i + 1])
  if earliest > at then at = earliest end
end
if at - now > max_wait then
  return {0, at - now}
end
for i, key in ipairs(KEYS) do
  local tat = tats[i]
  if at > tat then tat = at end
  tat = tat + tonumber(ARGV[2 * i])
  local ttl_ms = math.ceil((tat - now) / 1000) + 1000
  redis.call('SET', key, string.format('%.0f', tat), 'PX', ttl_ms)
end
return {1, at - now}
";

static RESERVE_SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(RESERVE));

/// What the shared budget answered one caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// A slot is this caller's: it may call Kandji once this wait has passed.
    Granted(Duration),
    /// No slot within [`MAX_RESERVATION`]: ask again after this wait.
    Refused(Duration),
}

/// One tenant's shared rate budget. Cheap to clone.
#[derive(Clone, Debug)]
pub struct SharedBudget {
    tier: SharedTier,
    /// `(key, emission interval, burst tolerance)` per limit, intervals in microseconds.
    limits: Vec<(String, u64, u64)>,
}

impl SharedBudget {
    /// A budget of `per_second` and `per_hour` requests (0 turns a limit off) on `tier`.
    pub fn new(tier: SharedTier, per_second: u32, per_hour: u32) -> Self {
        let limits = [
            ("second", per_second, 1_000_000u64),
            ("hour", per_hour, 3_600_000_000),
        ]
        .into_iter()
        .filter(|(_, rate, _)| *rate > 0)
        .map(|(name, rate, period_us)| {
            let interval = period_us / u64::from(rate);
            let burst = u64::from((rate / 10).max(1));
            (
                tier.key(&format!("budget:{name}")),
                interval,
                interval * (burst - 1),
            )
        })
        .collect();
        Self { tier, limits }
    }

    /// Asks for one slot.
    pub async fn reserve(&self) -> Result<Reservation, SharedError> {
        if self.limits.is_empty() {
            return Ok(Reservation::Granted(Duration::ZERO));
        }
        let mut script = RESERVE_SCRIPT.prepare_invoke();
        script.arg(MAX_RESERVATION.as_micros() as u64);
        for (key, interval, tolerance) in &self.limits {
            script.key(key).arg(*interval).arg(*tolerance);
        }
        let (granted, wait_us): (i64, i64) = self
            .tier
            .run("budget", |mut redis| async move {
                script.invoke_async(&mut redis).await
            })
            .await?;
        let wait = Duration::from_micros(wait_us.max(0) as u64);
        Ok(if granted == 1 {
            Reservation::Granted(wait)
        } else {
            Reservation::Refused(wait)
        })
    }

    /// Waits until this caller may call Kandji once. An error means Redis did not answer: the
    /// caller should take its slot from its local limiter instead.
    pub async fn acquire(&self) -> Result<(), SharedError> {
        let mut counted = false;
        loop {
            let wait = match self.reserve().await? {
                Reservation::Granted(wait) if wait.is_zero() => return Ok(()),
                Reservation::Granted(wait) => {
                    count_wait(&mut counted);
                    tokio::time::sleep(wait).await;
                    return Ok(());
                }
                Reservation::Refused(wait) => wait,
            };
            count_wait(&mut counted);
            // Sleep until the slot is within reach of a reservation, then ask for it.
            let until_reachable = wait.saturating_sub(MAX_RESERVATION);
            tokio::time::sleep(until_reachable.max(Duration::from_millis(100))).await;
        }
    }
}

fn count_wait(counted: &mut bool) {
    if !*counted {
        metrics::counter!("kandji_rate_limit_waits_total", "reason" => "shared_limiter")
            .increment(1);
        *counted = true;
    }
}
