//! The `Blueprint` type: a Kandji blueprint and the library items it assigns.

use async_graphql::{Context, ID, Object, Result, SimpleObject};

use super::errors::upstream;
use super::state;

/// A Kandji blueprint: the set of library items assigned to the devices on it.
#[derive(Clone)]
pub struct Blueprint {
    id: String,
    name: String,
}

impl Blueprint {
    /// A blueprint known by id and name.
    pub fn from_ref(id: String, name: String) -> Self {
        Blueprint { id, name }
    }
}

/// A library item in the tenant's library.
#[derive(SimpleObject, Clone)]
pub struct LibraryItem {
    /// The library item id (the same `itemId` that devices report).
    pub id: ID,
    /// The item's name.
    pub name: String,
}

/// A Kandji blueprint: the set of library items assigned to the devices on it.
#[Object]
impl Blueprint {
    /// The blueprint id (a UUID).
    async fn id(&self) -> ID {
        ID(self.id.clone())
    }

    /// The blueprint's name.
    async fn name(&self) -> &str {
        &self.name
    }

    /// The description (reads the blueprint list).
    async fn description(&self, ctx: &Context<'_>) -> Option<Result<String>> {
        let result: Result<Option<String>> = async {
            let blueprints = state(ctx).cache.blueprints().await.map_err(upstream)?;
            let found = blueprints.iter().find(|b| b.id == self.id);
            Ok(found
                .and_then(|b| b.description.clone())
                .filter(|d| !d.is_empty()))
        }
        .await;
        result.transpose()
    }

    /// How many computers Kandji counts on the blueprint (reads the blueprint list).
    async fn computers_count(&self, ctx: &Context<'_>) -> Option<Result<i64>> {
        let result: Result<Option<i64>> = async {
            let blueprints = state(ctx).cache.blueprints().await.map_err(upstream)?;
            Ok(blueprints
                .iter()
                .find(|b| b.id == self.id)
                .and_then(|b| b.computers_count))
        }
        .await;
        result.transpose()
    }

    /// The library items the blueprint assigns.
    async fn library_items(&self, ctx: &Context<'_>) -> Option<Result<Vec<LibraryItem>>> {
        let result: Result<Option<Vec<LibraryItem>>> = async {
            let library = state(ctx).cache.tenant_library().await.map_err(upstream)?;
            let items = library
                .iter()
                .filter(|item| item.blueprint_ids.contains(&self.id))
                .map(|item| LibraryItem {
                    id: ID(item.id.clone()),
                    name: item.name.clone(),
                })
                .collect();
            Ok(Some(items))
        }
        .await;
        result.transpose()
    }
}
