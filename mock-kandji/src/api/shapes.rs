//! The JSON shapes of list records shared by several endpoints: a device
//! as the device list shows it, a directory user, a blueprint.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use crate::fleet::timefmt::{iso_micros_z, space_micros_offset};
use crate::fleet::{Blueprint, Device, Tenant, User};

/// `user` on a device: `{email, name, id, is_archived}`, or `""` when
/// nobody is assigned.
pub fn user_ref(user: Option<&User>) -> Value {
    match user {
        Some(u) => {
            json!({ "email": u.email, "name": u.name, "id": u.id, "is_archived": u.archived })
        }
        None => Value::String(String::new()),
    }
}

/// One entry of `GET /devices`, in Kandji's field order.
#[derive(Debug, Serialize)]
pub struct DeviceListEntry<'a> {
    device_id: &'a str,
    device_name: &'a str,
    model: &'a str,
    serial_number: &'a str,
    platform: &'a str,
    os_version: &'a str,
    supplemental_build_version: &'a str,
    supplemental_os_version_extra: &'a str,
    last_check_in: String,
    user: Value,
    asset_tag: &'a str,
    blueprint_id: &'a str,
    mdm_enabled: bool,
    agent_installed: bool,
    is_missing: bool,
    is_removed: bool,
    agent_version: &'a str,
    first_enrollment: String,
    last_enrollment: String,
    blueprint_name: &'a str,
    lost_mode_status: &'a str,
    tags: Vec<&'a str>,
}

/// The device-list record for `device`.
pub fn device_entry<'a>(tenant: &'a Tenant, device: &'a Device) -> DeviceListEntry<'a> {
    let blueprint = &tenant.blueprints[device.blueprint];
    DeviceListEntry {
        device_id: &device.id,
        device_name: &device.name,
        model: device.model_name(),
        serial_number: &device.serial,
        platform: device.platform.api_name(),
        os_version: device.os.version,
        supplemental_build_version: device.os.build,
        supplemental_os_version_extra: "",
        last_check_in: iso_micros_z(device.last_check_in),
        user: user_ref(device.user.map(|u| &tenant.users[u])),
        asset_tag: &device.asset_tag,
        blueprint_id: &blueprint.id,
        mdm_enabled: device.mdm_enabled,
        agent_installed: device.agent_installed,
        is_missing: device.is_missing,
        is_removed: device.is_removed,
        agent_version: device.agent_version,
        first_enrollment: space_micros_offset(device.first_enrollment),
        last_enrollment: space_micros_offset(device.last_enrollment),
        blueprint_name: blueprint.plan.name,
        lost_mode_status: "",
        tags: device.tags.iter().map(|&t| tenant.tags[t].name).collect(),
    }
}

/// One directory user as `GET /users` returns it.
pub fn user_entry(tenant: &Tenant, user: &User) -> Value {
    let company = &tenant.company;
    json!({
        "active": !user.archived,
        "archived": user.archived,
        "created_at": iso_micros_z(user.created_at),
        "department": user.department_name,
        "deprecated_user_id": user.deprecated_id,
        "email": user.email,
        "id": user.id,
        "integration": {
            "id": company.integration_id,
            "name": company.name,
            "uuid": company.integration_uuid,
            "type": company.integration_type,
        },
        "job_title": user.job_title,
        "name": user.name,
        "device_count": user.device_count,
        "updated_at": iso_micros_z(user.updated_at),
    })
}

/// One blueprint as `GET /blueprints` returns it.
pub fn blueprint_entry(tenant: &Tenant, blueprint: &Blueprint) -> Value {
    let params: BTreeMap<&str, Value> = blueprint
        .parameters
        .iter()
        .map(|&(parameter, mute)| {
            let mut value = json!({ "mute": mute, "daily": false });
            if parameter == 3 {
                value["details"] = json!("time.apple.com");
            }
            (tenant.parameter_ids[parameter].as_str(), value)
        })
        .collect();
    json!({
        "id": blueprint.id,
        "name": blueprint.plan.name,
        "icon": blueprint.plan.icon,
        "color": blueprint.plan.color,
        "description": blueprint.plan.description,
        "params": params,
        "computers_count": blueprint.device_count,
        "enrollment_code": { "code": blueprint.enrollment_code, "is_active": true },
        "type": blueprint.plan.kind,
    })
}
