//! Integration tests for mock-kandji, one binary: each module pins down one
//! behaviour of the HTTP surface, driving `app()` in process (and `serve()`
//! on a loopback port where a real connection matters).

mod admin;
mod auth;
mod determinism;
mod device_list;
mod device_resources;
mod directory;
mod faults;
mod library_status;
mod prism;
mod prism_paging;
mod rate_limits;
mod scenarios;
mod shapes;
mod support;
