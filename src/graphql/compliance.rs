//! Compliance in the schema: per-device checks with evidence, and the fleet summary.
//!
//! This module gathers the facts (details, library items, apps, the tenant's library) through
//! the cache and hands them to the pure rules in [`crate::compliance`].

use std::sync::Arc;

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, ErrorExtensions, Object, Result, SimpleObject};
use futures::StreamExt;

use super::blueprint::LibraryItem;
use super::device::{App, DeviceLibraryItem};
use super::errors::upstream;
use super::state;
use crate::cache::TenantLibraryItem;
use crate::compliance::{
    AppFact, CheckResult, CheckStatus, ComplianceControl, ComplianceStatus, DeviceFacts,
    DeviceItemFact, DeviceVerdict, FleetSummary, TenantItemFact, evaluate, summarize,
};
use crate::kandji::models::{DeviceApps, DeviceDetails, DeviceLibraryItems, DeviceRecord};
use crate::kandji::{KandjiError, KandjiResult};
use crate::state::GatewayState;

/// Everything one device's verdict was computed from.
pub struct Evaluation {
    /// The verdict.
    pub verdict: DeviceVerdict,
    device_id: String,
    library: Option<Arc<DeviceLibraryItems>>,
    apps: Option<Arc<DeviceApps>>,
    tenant: Option<Arc<Vec<TenantLibraryItem>>>,
    /// Upstream failures that left some checks unknown.
    pub errors: Vec<KandjiError>,
}

fn ok_or_note<T>(result: KandjiResult<T>, errors: &mut Vec<KandjiError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

fn is_mac(device: &DeviceRecord) -> bool {
    device.platform.eq_ignore_ascii_case("mac")
}

/// What one device's verdict is computed from, however it was fetched (nothing, for a device
/// that is not a Mac).
#[derive(Default)]
struct Gathered {
    details: Option<Arc<DeviceDetails>>,
    filevault_enabled: Option<bool>,
    library: Option<Arc<DeviceLibraryItems>>,
    apps: Option<Arc<DeviceApps>>,
    tenant: Option<Arc<Vec<TenantLibraryItem>>>,
    errors: Vec<KandjiError>,
}

/// Fetches what the rules need for one device, one call per resource, and evaluates it.
pub async fn evaluate_device(gateway: &GatewayState, device: &DeviceRecord) -> Evaluation {
    evaluate_device_knowing(gateway, device, None).await
}

/// `evaluate_device`, with the device's FileVault flag when a filtered device list gave it:
/// the details are then not read (the fleet-wide path does the same).
async fn evaluate_device_knowing(
    gateway: &GatewayState,
    device: &DeviceRecord,
    filevault: Option<bool>,
) -> Evaluation {
    if !is_mac(device) {
        return judge(gateway, device, Gathered::default());
    }
    let cache = &gateway.cache;
    let id = device.device_id.as_str();
    let details = async {
        match filevault {
            Some(_) => None,
            None => Some(cache.details(id).await),
        }
    };
    let (d, l, a, t) = tokio::join!(
        details,
        cache.library_items(id),
        cache.apps(id),
        cache.tenant_library()
    );
    let mut errors = Vec::new();
    let details = d.and_then(|d| ok_or_note(d, &mut errors));
    let gathered = Gathered {
        filevault_enabled: filevault
            .or_else(|| details.as_ref().and_then(|d| d.filevault.filevault_enabled)),
        details,
        library: ok_or_note(l, &mut errors),
        apps: ok_or_note(a, &mut errors),
        tenant: ok_or_note(t, &mut errors),
        errors,
    };
    judge(gateway, device, gathered)
}

fn judge(gateway: &GatewayState, device: &DeviceRecord, gathered: Gathered) -> Evaluation {
    let Gathered {
        details,
        filevault_enabled,
        library,
        apps,
        tenant,
        errors,
    } = gathered;
    let item_facts: Option<Vec<DeviceItemFact>> = library.as_ref().map(|l| {
        l.library_items
            .iter()
            .map(|i| DeviceItemFact {
                item_id: i.item_id.to_string(),
                name: i.name.to_string(),
                status: i.status.to_string(),
                reported_at: i.reported_at,
                last_audit_log: i.last_audit_log.as_deref().map(str::to_owned),
                control_log: i.control_log.as_deref().map(str::to_owned),
            })
            .collect()
    });
    let app_facts: Option<Vec<AppFact>> = apps.as_ref().map(|a| {
        a.apps
            .iter()
            .map(|app| AppFact {
                name: app.app_name.as_deref().unwrap_or_default().to_owned(),
                bundle_id: app.bundle_id.as_deref().map(str::to_owned),
            })
            .collect()
    });
    let tenant_facts: Option<Vec<TenantItemFact>> = tenant.as_ref().map(|t| {
        t.iter()
            .map(|i| TenantItemFact {
                id: i.id.clone(),
                name: i.name.clone(),
            })
            .collect()
    });

    // Staleness uses the newest of the list's, the agent's and the MDM's check-in.
    let last_check_in = [
        device.last_check_in,
        details.as_ref().and_then(|d| d.kandji_agent.last_check_in),
        details.as_ref().and_then(|d| d.mdm.last_check_in),
    ]
    .into_iter()
    .flatten()
    .max();
    let facts = DeviceFacts {
        is_mac: is_mac(device),
        is_removed: device.is_removed.unwrap_or(false),
        last_check_in,
        agent_installed: device.agent_installed.or_else(|| {
            details
                .as_ref()
                .and_then(|d| d.kandji_agent.agent_installed)
        }),
        filevault_enabled,
        library_items: item_facts.as_deref(),
        apps: app_facts.as_deref(),
    };
    let verdict = evaluate(
        &facts,
        tenant_facts.as_deref(),
        &gateway.compliance,
        chrono::Utc::now(),
    );
    Evaluation {
        verdict,
        device_id: device.device_id.clone(),
        library,
        apps,
        tenant,
        errors,
    }
}

/// Whether the fleet-wide endpoints cost fewer calls than three per Mac for `macs` of a
/// fleet with `fleet_macs` Macs. Per 300 Macs they read about one status page for each of
/// some eight control items, a page for each of the two Prism app queries and a page of the
/// FileVault lists; plus one call for the second FileVault list and one for the tenant's
/// library beyond what the per-device path reads too.
fn bulk_is_cheaper(macs: usize, fleet_macs: usize) -> bool {
    let pages = fleet_macs.div_ceil(300).max(1);
    macs * 3 > 2 + 11 * pages
}

/// Evaluates many devices with as few upstream calls as the token allows: the fleet-wide
/// endpoints when they are cheaper and permitted, else per-device calls with bounded
/// concurrency. Keeps the order of `devices`.
pub async fn evaluate_many(
    gateway: &GatewayState,
    devices: &[Arc<DeviceRecord>],
) -> Vec<Evaluation> {
    let macs = devices.iter().filter(|d| is_mac(d)).count();
    if gateway.bulk.is_allowed()
        && let Some(facts) = Box::pin(fleet_facts(gateway, macs)).await
    {
        let tenant = gateway.cache.tenant_library().await.ok();
        // A Mac in neither FileVault list has no reported flag: read its details, as the
        // per-device path would.
        let unseen: Vec<&str> = devices
            .iter()
            .filter(|d| is_mac(d) && facts.filevault_enabled(&d.device_id).is_none())
            .map(|d| d.device_id.as_str())
            .collect();
        let details =
            futures::future::join_all(unseen.iter().map(|id| gateway.cache.details(id))).await;
        let mut details: HashMap<&str, _> = unseen.into_iter().zip(details).collect();
        return devices
            .iter()
            .map(|device| {
                let id = device.device_id.as_str();
                if !is_mac(device) {
                    return judge(gateway, device, Gathered::default());
                }
                let (library, apps) = (facts.library_items(id), facts.apps(id));
                if let Some(verdict) = facts.verdicts.get(device, &tenant) {
                    return Evaluation {
                        verdict,
                        device_id: id.to_string(),
                        library: Some(library),
                        apps: Some(apps),
                        tenant: tenant.clone(),
                        errors: vec![],
                    };
                }
                let mut errors = vec![];
                let details = details.remove(id).and_then(|d| ok_or_note(d, &mut errors));
                let gathered = Gathered {
                    filevault_enabled: facts
                        .filevault_enabled(id)
                        .or_else(|| details.as_ref().and_then(|d| d.filevault.filevault_enabled)),
                    details,
                    library: Some(library),
                    apps: Some(apps),
                    tenant: tenant.clone(),
                    errors,
                };
                // Only verdicts read from the fleet-wide facts and the library alone are kept.
                let keep =
                    gathered.details.is_none() && gathered.errors.is_empty() && tenant.is_some();
                let evaluation = judge(gateway, device, gathered);
                if keep {
                    facts.verdicts.keep(device, &tenant, &evaluation.verdict);
                }
                evaluation
            })
            .collect();
    }

    // Per device: the FileVault flags from two filtered device lists when they are cached or
    // cost fewer calls than reading each Mac's details.
    let cache = &gateway.cache;
    let flags = if gateway.bulk.is_disabled() {
        None
    } else if let Some(flags) = cache.cached_filevault_flags().await {
        Some(flags)
    } else if lists_are_cheaper(gateway, macs).await {
        cache.filevault_flags().await.ok()
    } else {
        None
    };
    let mut evaluations = Vec::with_capacity(devices.len());
    let mut pending = futures::stream::FuturesOrdered::new();
    for device in devices {
        // Keep at most `fan_out` devices in flight; each makes up to four upstream calls.
        if pending.len() >= gateway.fan_out.max(1)
            && let Some(done) = pending.next().await
        {
            evaluations.push(done);
        }
        let flag = flags
            .as_ref()
            .and_then(|f| f.get(&device.device_id).copied());
        pending.push_back(Box::pin(evaluate_device_knowing(gateway, device, flag)));
    }
    while let Some(done) = pending.next().await {
        evaluations.push(done);
    }
    evaluations
}

/// Whether reading the FileVault flags of the whole fleet (two filtered device lists, a page
/// per 300 Macs each) costs fewer calls than reading the details of `macs` Macs.
async fn lists_are_cheaper(gateway: &GatewayState, macs: usize) -> bool {
    fleet_macs(gateway)
        .await
        .is_some_and(|fleet_macs| macs > 2 * (fleet_macs.div_ceil(300) + 1))
}

/// Macs in the whole fleet, from the cached device list (`None` when it cannot be read).
async fn fleet_macs(gateway: &GatewayState) -> Option<usize> {
    let index = gateway.cache.devices().await.ok()?;
    Some(index.devices.iter().filter(|d| is_mac(d)).count())
}

/// The fleet-wide facts: from the cache whenever they are there (they then cost nothing,
/// however few devices are asked for), or from the read under way when there is one (a page
/// whose compliance fields were split into several batches shares it), else read when that is
/// cheaper than per-device calls for `macs` Macs. `None` (and per-device calls) when it is
/// not, or the token lacks the permissions, or the calls fail.
async fn fleet_facts(gateway: &GatewayState, macs: usize) -> Option<Arc<crate::bulk::FleetFacts>> {
    let cache = &gateway.cache;
    if let Some(facts) = cache.cached_fleet_facts(&gateway.compliance).await {
        return Some(facts);
    }
    if cache.fleet_facts_loading() {
        return cache.fleet_facts(&gateway.compliance).await.ok();
    }
    let fleet_macs = fleet_macs(gateway).await.unwrap_or(macs);
    if !bulk_is_cheaper(macs, fleet_macs) {
        return None;
    }
    match cache.fleet_facts(&gateway.compliance).await {
        Ok(facts) => Some(facts),
        Err(error) => {
            gateway.bulk.deny(&error);
            None
        }
    }
}

/// Batches `Device.compliance` fields of one request (and of concurrent requests) so a page of
/// devices is evaluated together, with the fleet-wide endpoints when that is cheaper.
pub struct ComplianceLoader(pub Arc<GatewayState>);

impl Loader<String> for ComplianceLoader {
    type Value = Arc<Evaluation>;
    type Error = KandjiError;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Arc<Evaluation>>, KandjiError> {
        let gateway = &self.0;
        let index = gateway.cache.devices().await?;
        let mut records = Vec::with_capacity(keys.len());
        for key in keys {
            match index.get(key) {
                Some(device) => records.push(device.clone()),
                None => records.push(Arc::new(gateway.cache.client().device(key).await?)),
            }
        }
        let evaluations = Box::pin(evaluate_many(gateway, &records)).await;
        Ok(records
            .iter()
            .zip(evaluations)
            .map(|(d, e)| (d.device_id.clone(), Arc::new(e)))
            .collect())
    }
}

/// A device's compliance: the overall status and one check per control.
pub struct DeviceCompliance(Arc<Evaluation>);

impl DeviceCompliance {
    /// Evaluates `device`, reporting upstream failures as errors at this field's path while
    /// still answering with the checks that could be decided.
    pub async fn resolve(ctx: &Context<'_>, device: &DeviceRecord) -> Result<Option<Self>> {
        let evaluation = match ctx.data_opt::<DataLoader<ComplianceLoader>>() {
            Some(loader) => loader
                .load_one(device.device_id.clone())
                .await
                .map_err(upstream)?,
            // Without a loader (a schema executed directly), evaluate this device alone.
            None => Some(Arc::new(evaluate_device(state(ctx), device).await)),
        };
        let Some(evaluation) = evaluation else {
            return Ok(None);
        };
        for error in &evaluation.errors {
            let server_error = error.extend().into_server_error(ctx.item.pos);
            ctx.add_error(ctx.set_error_path(server_error));
        }
        Ok(Some(DeviceCompliance(evaluation)))
    }
}

/// A device's compliance: the overall status and one check per control.
#[Object]
impl DeviceCompliance {
    /// `COMPLIANT` only when every applicable check passes; `NOT_SUPPORTED` for non-Macs.
    async fn status(&self) -> ComplianceStatus {
        self.0.verdict.status
    }

    /// Whether the last check-in is older than the configured limit (checks are then UNKNOWN).
    async fn stale(&self) -> bool {
        self.0.verdict.stale
    }

    /// One check per control (empty for devices that are not Macs).
    async fn checks(&self) -> Vec<ComplianceCheck> {
        (0..self.0.verdict.checks.len())
            .map(|i| ComplianceCheck {
                eval: self.0.clone(),
                index: i,
            })
            .collect()
    }

    /// The controls that fail.
    async fn failing_controls(&self) -> Vec<ComplianceControl> {
        self.0
            .verdict
            .checks
            .iter()
            .filter(|c| c.status == CheckStatus::Fail)
            .map(|c| c.control)
            .collect()
    }
}

/// One control's verdict on one device, with the evidence behind it.
pub struct ComplianceCheck {
    eval: Arc<Evaluation>,
    index: usize,
}

impl ComplianceCheck {
    fn check(&self) -> &CheckResult {
        &self.eval.verdict.checks[self.index]
    }
}

/// A field the rule read, and its value.
#[derive(SimpleObject)]
pub struct Evidence {
    /// Where the value came from, e.g. `details.filevault.filevault_enabled`.
    pub field: String,
    /// The value, e.g. `false`.
    pub value: String,
}

/// One control's verdict on one device, with the evidence behind it.
#[Object]
impl ComplianceCheck {
    /// The control checked.
    async fn control(&self) -> ComplianceControl {
        self.check().control
    }

    /// `PASS`, `FAIL`, `UNKNOWN` or `NOT_APPLICABLE`.
    async fn status(&self) -> CheckStatus {
        self.check().status
    }

    /// Does a library item matching the control exist in the tenant?
    async fn item_exists(&self) -> bool {
        self.check().item_exists
    }

    /// Is it assigned to this device?
    async fn item_assigned(&self) -> bool {
        self.check().item_assigned
    }

    /// Is the device passing it? Null when unknown or not applicable.
    async fn device_passing(&self) -> Option<bool> {
        self.check().device_passing
    }

    /// The matching library item as assigned to this device, with its status.
    async fn library_item(&self) -> Option<DeviceLibraryItem> {
        let index = self.check().library_item?;
        let item = self.eval.library.as_ref()?.library_items.get(index)?;
        Some(DeviceLibraryItem::new(&self.eval.device_id, item))
    }

    /// The matching item in the tenant's library (set even when it is not assigned).
    async fn matched_item(&self) -> Option<LibraryItem> {
        let index = self.check().tenant_item?;
        let item = self.eval.tenant.as_ref()?.get(index)?;
        Some(LibraryItem {
            id: item.id.clone().into(),
            name: item.name.clone(),
        })
    }

    /// The installed app that passed the control (password manager).
    async fn installed_app(&self) -> Option<App> {
        let index = self.check().installed_app?;
        let app = self.eval.apps.as_ref()?.apps.get(index)?;
        Some(App::new(&self.eval.device_id, index, app))
    }

    /// One line a person can act on.
    async fn reason(&self) -> &str {
        &self.check().reason
    }

    /// The state fields the rule used.
    async fn evidence(&self) -> Vec<Evidence> {
        self.check()
            .evidence
            .iter()
            .map(|e| Evidence {
                field: e.field.clone(),
                value: e.value.clone(),
            })
            .collect()
    }
}

/// Compliance across the fleet (removed devices are left out).
pub struct ComplianceSummary(pub FleetSummary);

impl ComplianceSummary {
    /// Summarises evaluations.
    pub fn of(evaluations: &[Evaluation]) -> Self {
        ComplianceSummary(summarize(evaluations.iter().map(|e| &e.verdict)))
    }
}

/// Compliance across the fleet: devices by overall status and, per control, by check status.
/// Removed devices are left out.
#[Object]
impl ComplianceSummary {
    /// Devices counted (removed devices are not).
    async fn total(&self) -> usize {
        self.0.total
    }

    /// Macs passing every applicable check.
    async fn compliant(&self) -> usize {
        self.0.compliant
    }

    /// Macs failing at least one check.
    async fn non_compliant(&self) -> usize {
        self.0.non_compliant
    }

    /// Macs with no failing check but at least one unknown.
    async fn unknown(&self) -> usize {
        self.0.unknown
    }

    /// Devices that are not Macs.
    async fn not_supported(&self) -> usize {
        self.0.not_supported
    }

    /// Per control, how many Macs pass, fail, are unknown or not applicable.
    async fn by_control(&self) -> Vec<ControlSummary> {
        self.0
            .by_control
            .iter()
            .map(|c| ControlSummary {
                control: c.control,
                pass: c.pass,
                fail: c.fail,
                unknown: c.unknown,
                not_applicable: c.not_applicable,
            })
            .collect()
    }
}

/// One control's counts across the fleet.
#[derive(SimpleObject)]
pub struct ControlSummary {
    /// The control.
    pub control: ComplianceControl,
    /// Macs passing it.
    pub pass: usize,
    /// Macs failing it.
    pub fail: usize,
    /// Macs where it is unknown.
    pub unknown: usize,
    /// Macs where it does not apply.
    pub not_applicable: usize,
}
