//! People: checking Kandji's users against the identity provider's roster.
//!
//! Drata links a Kandji device to a person only when the device user's email matches the
//! identity provider's email exactly. A roster file (the IdP's export of emails) lets the
//! gateway show, before an audit does, which users match, which match only when case is
//! ignored (and so fail Drata's step), and which are missing.

use std::collections::HashSet;
use std::path::Path;

/// How a Kandji user's email compares with the identity provider's roster.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdpMatch {
    /// The roster has exactly this email.
    Matched,
    /// The roster has this email only in another case: exact-match integrations will not link it.
    CaseMismatch,
    /// The roster does not have this email (or the user has none).
    Missing,
}

/// The identity provider's emails.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    exact: HashSet<String>,
    folded: HashSet<String>,
}

impl Roster {
    /// A roster of `emails` (surrounding whitespace ignored, empty entries skipped).
    pub fn new<'a>(emails: impl IntoIterator<Item = &'a str>) -> Self {
        let mut roster = Roster::default();
        for email in emails.into_iter().map(str::trim).filter(|e| !e.is_empty()) {
            roster.folded.insert(email.to_lowercase());
            roster.exact.insert(email.to_string());
        }
        roster
    }

    /// Reads a roster: JSON (an array of emails, or of objects with an `email` key) or CSV /
    /// plain text (the `email` column if there is a header naming it, else the first column).
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the roster {}: {e}", path.display()))?;
        let is_json = text.trim_start().starts_with('[');
        let roster = if is_json {
            Self::from_json(&text)
        } else {
            Ok(Self::from_csv(&text))
        }
        .map_err(|e| format!("the roster {} is not valid: {e}", path.display()))?;
        if roster.exact.is_empty() {
            return Err(format!(
                "the roster {} holds no email address: give a CSV with an \"email\" column, one \
                 email per line, or a JSON array of emails",
                path.display()
            ));
        }
        Ok(roster)
    }

    fn from_json(text: &str) -> Result<Self, String> {
        let entries: Vec<serde_json::Value> =
            serde_json::from_str(text).map_err(|e| e.to_string())?;
        let emails: Vec<String> = entries
            .iter()
            .map(|entry| match entry {
                serde_json::Value::String(s) => Ok(s.clone()),
                serde_json::Value::Object(o) => o
                    .get("email")
                    .and_then(|e| e.as_str())
                    .map(str::to_string)
                    .ok_or_else(|| "an object without an \"email\" string".to_string()),
                _ => Err("entries must be email strings or objects with \"email\"".to_string()),
            })
            .collect::<Result<_, _>>()?;
        Ok(Self::new(emails.iter().map(String::as_str)))
    }

    fn from_csv(text: &str) -> Self {
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let first = lines.next().unwrap_or("");
        let header: Vec<String> = first
            .split(',')
            .map(|c| c.trim().trim_matches('"').to_lowercase())
            .collect();
        let (column, skip_first) = match header.iter().position(|c| c == "email") {
            Some(i) => (i, true),
            None if header.first().is_some_and(|c| c.contains('@')) => (0, false),
            // A header without an "email" column: nothing in the file can be trusted as emails.
            None => return Self::default(),
        };
        let rows = std::iter::once(first).filter(|_| !skip_first).chain(lines);
        let emails: Vec<String> = rows
            .filter_map(|row| row.split(',').nth(column))
            .map(|cell| cell.trim().trim_matches('"').to_string())
            .collect();
        Self::new(emails.iter().map(String::as_str))
    }

    /// How `email` compares with the roster.
    pub fn classify(&self, email: Option<&str>) -> IdpMatch {
        let Some(email) = email.map(str::trim).filter(|e| !e.is_empty()) else {
            return IdpMatch::Missing;
        };
        if self.exact.contains(email) {
            IdpMatch::Matched
        } else if self.folded.contains(&email.to_lowercase()) {
            IdpMatch::CaseMismatch
        } else {
            IdpMatch::Missing
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_emails_match_and_case_only_matches_are_flagged() {
        let roster = Roster::new(["Ana.Silva@acme.eu", "bob@acme.eu"]);
        assert_eq!(roster.classify(Some("bob@acme.eu")), IdpMatch::Matched);
        assert_eq!(
            roster.classify(Some("ana.silva@acme.eu")),
            IdpMatch::CaseMismatch
        );
        assert_eq!(roster.classify(Some("eve@acme.eu")), IdpMatch::Missing);
        assert_eq!(roster.classify(None), IdpMatch::Missing);
    }

    #[test]
    fn csv_with_an_email_header_uses_that_column() {
        let roster = Roster::from_csv("name,email\nAna,ana@acme.eu\n\"Bob\",\"bob@acme.eu\"\n");
        assert_eq!(roster.classify(Some("ana@acme.eu")), IdpMatch::Matched);
        assert_eq!(roster.classify(Some("bob@acme.eu")), IdpMatch::Matched);
        assert_eq!(roster.classify(Some("name")), IdpMatch::Missing);
    }

    #[test]
    fn a_csv_whose_header_has_no_email_column_holds_no_email() {
        let roster = Roster::from_csv("name,mail\nAna,ana@acme.eu\n");
        assert_eq!(roster.classify(Some("ana@acme.eu")), IdpMatch::Missing);
        assert!(roster.exact.is_empty());
    }

    #[test]
    fn plain_list_and_json_forms_are_read() {
        assert_eq!(
            Roster::from_csv("ana@acme.eu\nbob@acme.eu").classify(Some("bob@acme.eu")),
            IdpMatch::Matched
        );
        let json = Roster::from_json(r#"["ana@acme.eu", {"email": "bob@acme.eu"}]"#).unwrap();
        assert_eq!(json.classify(Some("bob@acme.eu")), IdpMatch::Matched);
        assert!(Roster::from_json(r#"[1]"#).is_err());
    }
}
