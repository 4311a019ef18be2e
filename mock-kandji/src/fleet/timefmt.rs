//! The timestamp formats Kandji mixes, sometimes within one object
//! (`kandji-api.md` §5.1). Each function names the fields that use it.

use chrono::{DateTime, Utc};

/// `2024-07-23T14:11:37.150080Z`: device `last_check_in`, apps, users.
pub fn iso_micros_z(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// `2021-05-11T19:45:19Z`: library item `reported_at`, `last_audit_run`.
pub fn iso_z(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `2024-01-26 16:15:36.087016+00:00`: enrollment dates, `mdm.*` dates.
pub fn space_micros_offset(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.6f+00:00").to_string()
}

/// `2024-06-17 11:32:35+00:00`: `kandji_agent.install_date`, ABM dates.
pub fn space_offset(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S+00:00").to_string()
}

/// `2024-05-13 20:09:23 +0000`: `installed_profiles[].install_date`.
pub fn space_space_offset(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S +0000").to_string()
}

/// `2024-11-18T23:04:43.852118+00:00`: Prism rows.
pub fn iso_micros_offset(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string()
}

/// "18 minutes ago", "3 days ago": `general.time_since_boot`.
pub fn human_ago(seconds: i64) -> String {
    let (value, unit) = match seconds {
        s if s < 3600 => (s / 60, "minute"),
        s if s < 86_400 => (s / 3600, "hour"),
        s if s < 30 * 86_400 => (s / 86_400, "day"),
        s => (s / (30 * 86_400), "month"),
    };
    let value = value.max(1);
    if value == 1 {
        format!("1 {unit} ago")
    } else {
        format!("{value} {unit}s ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn each_format_matches_kandjis_examples() {
        let t = Utc.with_ymd_and_hms(2024, 1, 26, 16, 15, 36).unwrap()
            + chrono::Duration::microseconds(87_016);
        assert_eq!(iso_micros_z(t), "2024-01-26T16:15:36.087016Z");
        assert_eq!(iso_z(t), "2024-01-26T16:15:36Z");
        assert_eq!(space_micros_offset(t), "2024-01-26 16:15:36.087016+00:00");
        assert_eq!(space_offset(t), "2024-01-26 16:15:36+00:00");
        assert_eq!(space_space_offset(t), "2024-01-26 16:15:36 +0000");
        assert_eq!(iso_micros_offset(t), "2024-01-26T16:15:36.087016+00:00");
    }

    #[test]
    fn human_time_reads_like_kandji() {
        assert_eq!(human_ago(18 * 60), "18 minutes ago");
        assert_eq!(human_ago(3600), "1 hour ago");
        assert_eq!(human_ago(40 * 86_400), "1 month ago");
    }
}
