//! Everything about talking to Kandji: the tenant URL, the token, the endpoints, the response
//! models with their quirks, the errors, and the HTTP client.

pub mod client;
mod de;
pub mod endpoint;
pub mod error;
pub mod models;
pub mod shared_str;
pub mod token;
pub mod url;

pub use client::{ClientSettings, KandjiClient};
pub use de::parse_timestamp;
pub use endpoint::Endpoint;
pub use error::{KandjiError, KandjiResult};
pub use shared_str::SharedStr;
pub use token::ApiToken;
pub use url::{ApiUrl, Permission, Region};
