//! Export and import that lose nothing (issue 22, item 5), through the library: an admin
//! reads the desk as [`Record`]s and restores them into an empty desk, tickets with their
//! numbers, threads, history, time entries, CC and followers, attachments' bytes checked
//! against their keys. The stream and its files are the caller's; the rules are
//! [`Restore`](crate::export::Restore)'s.

use crate::domain::{Actor, CustomerKind, Ticket};
use crate::error::{Ability, Error, Result};
use crate::export::{Header, Record, Restore, SettingRecord, TicketRecord};
use crate::listing::{CustomerFilter, CustomerPageRequest};
use crate::listing::{PageRequest, TicketFilter, TicketOrder};
use crate::store::{BlobKey, SettingKey, WriteBatch};

use super::Acting;

impl Acting {
    /// The header of an export made now (admins). It takes one value of the ticket number
    /// sequence, to say where it stands.
    pub async fn export_header(&self) -> Result<Header> {
        self.require_admin()?;
        let sequence = self.desk.store.next_ticket_sequence().await?;
        Ok(Header::new(self.desk.now(), sequence))
    }

    /// The directory and settings as records, in the format's order (admins): departments,
    /// agents, customers (organisations first), settings, organisations' domains and
    /// viewers.
    pub async fn export_directory(&self) -> Result<Vec<Record>> {
        self.require_admin()?;
        let store = &self.desk.store;
        let mut records = Vec::new();
        let mut departments = store.departments().await?;
        departments.sort_by_key(|d| d.id);
        records.extend(departments.into_iter().map(Record::Department));
        let mut agents = store.agents().await?;
        agents.sort_by_key(|a| a.id);
        records.extend(agents.into_iter().map(Record::Agent));
        let mut customers = Vec::new();
        let mut page = CustomerPageRequest::first(CustomerPageRequest::MAX_LIMIT);
        loop {
            let found = store
                .list_customers(&CustomerFilter::default(), &page)
                .await?;
            customers.extend(found.items);
            match found.next {
                Some(next) => page = page.after(next),
                None => break,
            }
        }
        customers.sort_by_key(|c| (c.kind != CustomerKind::Organisation, c.id));
        let organisations: Vec<_> = (customers.iter())
            .filter(|c| c.kind == CustomerKind::Organisation)
            .map(|c| c.id)
            .collect();
        let members: Vec<_> = (customers.iter())
            .filter(|c| c.organisation.is_some())
            .map(|c| (c.id, c.organisation))
            .collect();
        let people: Vec<Actor> = (records.iter())
            .filter_map(|r| match r {
                Record::Agent(a) => Some(Actor::Agent(a.id)),
                _ => None,
            })
            .chain(customers.iter().map(|c| Actor::Customer(c.id)))
            .collect();
        records.extend(customers.into_iter().map(Record::Customer));
        if let Some(settings) = store.as_settings_store() {
            for key in SettingKey::ALL {
                if let Some(value) = settings.setting(key).await? {
                    records.push(Record::Setting(SettingRecord { key, value }));
                }
            }
        }
        if let Some(orgs) = store.as_organisation_store() {
            for organisation in organisations {
                let domains = orgs.organisation_domains(organisation).await?;
                let mut viewers = Vec::new();
                for (member, of) in &members {
                    if *of == Some(organisation) && orgs.sees_organisation_tickets(*member).await? {
                        viewers.push(*member);
                    }
                }
                if !domains.is_empty() || !viewers.is_empty() {
                    records.push(Record::Organisation {
                        organisation,
                        domains,
                        viewers,
                    });
                }
            }
        }
        self.export_content(&people, &mut records).await?;
        self.export_v3(&people, &mut records).await?;
        Ok(records)
    }

    /// The content records (format version 2), after the directory: templates, canned
    /// responses, saved searches, article categories and articles (with the votes of
    /// `people`, version 3), each list by id.
    async fn export_content(&self, people: &[Actor], records: &mut Vec<Record>) -> Result<()> {
        let store = &self.desk.store;
        if let Some(t) = store.as_template_store() {
            let mut templates = t.templates().await?;
            templates.sort_by_key(|t| t.id);
            records.extend(templates.into_iter().map(Record::Template));
            let mut canned = t.canned_responses(None, None).await?;
            canned.sort_by_key(|c| c.id);
            records.extend(canned.into_iter().map(Record::CannedResponse));
        }
        if let Some(s) = store.as_saved_search_store() {
            let mut agents = store.agents().await?;
            agents.sort_by_key(|a| a.id);
            for agent in agents {
                let mut searches = s.saved_searches(agent.id).await?;
                searches.sort_by_key(|s| s.id);
                records.extend(searches.into_iter().map(Record::SavedSearch));
            }
        }
        if let Some(k) = store.as_knowledge_store() {
            let mut categories = k.article_categories().await?;
            categories.sort();
            records.extend(
                (categories.into_iter()).map(|category| Record::ArticleCategory { category }),
            );
            let mut articles = k.list_articles(None, u32::MAX).await?;
            articles.sort_by_key(|a| a.id);
            let ids: Vec<_> = articles.iter().map(|a| a.id).collect();
            let mut votes = self.export_votes(&ids, people).await?;
            for article in articles {
                let mut record = crate::export::ArticleRecord::from(article);
                record.votes = votes.remove(&record.article.id).unwrap_or_default();
                record.votes.sort_by_key(|v| v.voter);
                records.push(Record::Article(record));
            }
        }
        Ok(())
    }

    /// Every ticket, oldest first (then by number): what [`export_ticket`](Self::export_ticket)
    /// is asked for, in the export's order (admins).
    pub async fn export_ticket_list(&self) -> Result<Vec<Ticket>> {
        self.require_admin()?;
        let store = &self.desk.store;
        let mut tickets = Vec::new();
        let mut page = PageRequest::first(TicketOrder::LastUpdate, PageRequest::MAX_LIMIT);
        loop {
            let found = store.list_tickets(&TicketFilter::default(), &page).await?;
            tickets.extend(found.items);
            match found.next {
                Some(next) => page = page.after(next)?,
                None => break,
            }
        }
        tickets.sort_by(|a, b| {
            (a.created_at, a.number.full(), a.id).cmp(&(b.created_at, b.number.full(), b.id))
        });
        tickets.dedup_by_key(|t| t.id);
        Ok(tickets)
    }

    /// `ticket` whole (admins): its thread with internal messages, history, time entries,
    /// CC and followers.
    pub async fn export_ticket(&self, ticket: Ticket) -> Result<TicketRecord> {
        self.require_admin()?;
        let store = &self.desk.store;
        let id = ticket.id;
        let (cc, followers) = match store.as_follower_store() {
            Some(f) => (f.cc_addresses(id).await?, f.followers(id).await?),
            None => (Vec::new(), Vec::new()),
        };
        Ok(TicketRecord {
            messages: store.messages(id, true).await?,
            history: store.history(id).await?,
            time_entries: store.time_entries(id).await?,
            ticket,
            cc,
            followers,
        })
    }

    /// The bytes of the attachment `key` (admins), to write beside the stream.
    pub async fn export_blob(&self, key: &BlobKey) -> Result<Option<Vec<u8>>> {
        self.require_admin()?;
        let blobs = (self.desk.blobs.as_deref()).ok_or(Error::unsupported(Ability::Attachments))?;
        blobs.blob(key).await
    }

    /// Refuses a restore into a desk that holds anything: departments, agents, customers,
    /// tickets, rules, macros, webhook endpoints or mailboxes (admins).
    pub async fn restore_begin(&self) -> Result<()> {
        self.require_admin()?;
        let store = &self.desk.store;
        let page = PageRequest::first(TicketOrder::LastUpdate, 1);
        let customers = store
            .list_customers(&CustomerFilter::default(), &CustomerPageRequest::first(1))
            .await?;
        let empty = store.departments().await?.is_empty()
            && store.agents().await?.is_empty()
            && customers.items.is_empty()
            && store
                .list_tickets(&TicketFilter::default(), &page)
                .await?
                .items
                .is_empty()
            && self.holds_no_automation().await?;
        if empty {
            Ok(())
        } else {
            Err(Error::validation(
                "desk",
                "an export is restored into an empty desk only",
            ))
        }
    }

    /// Writes a directory or settings record, checked by `restore` before (admins).
    pub async fn restore_record(&self, record: Record) -> Result<()> {
        self.require_admin()?;
        let store = &self.desk.store;
        match record {
            Record::Department(d) => store.put_department(&d).await,
            Record::Agent(a) => store.put_agent(&a).await,
            Record::Customer(c) => store.put_customer(&c).await,
            Record::Setting(s) => {
                self.desk
                    .settings_store()?
                    .put_setting(s.key, &s.value)
                    .await
            }
            Record::Organisation {
                organisation,
                domains,
                viewers,
            } => {
                let orgs = (store.as_organisation_store())
                    .ok_or(Error::unsupported(Ability::Organisations))?;
                orgs.set_organisation_domains(organisation, &domains)
                    .await?;
                for viewer in viewers {
                    orgs.set_sees_organisation_tickets(viewer, true).await?;
                }
                Ok(())
            }
            Record::Template(t) => self.template_store()?.put_template(&t).await,
            Record::CannedResponse(c) => self.template_store()?.put_canned_response(&c).await,
            Record::SavedSearch(s) => {
                (store.as_saved_search_store())
                    .ok_or(Error::unsupported(Ability::SavedSearches))?
                    .put_saved_search(&s)
                    .await
            }
            Record::ArticleCategory { category } => {
                self.knowledge_store()?
                    .add_article_category(&category)
                    .await
            }
            Record::Article(a) => self.restore_article(a).await,
            Record::Header(_) | Record::Trailer(_) | Record::Ticket(_) => Ok(()),
            other => self.restore_extra(other).await,
        }
    }

    fn template_store(&self) -> Result<&dyn crate::store::TemplateStore> {
        (self.desk.store.as_template_store()).ok_or(Error::unsupported(Ability::Templates))
    }

    fn knowledge_store(&self) -> Result<&dyn crate::store::KnowledgeStore> {
        (self.desk.store.as_knowledge_store()).ok_or(Error::unsupported(Ability::KnowledgeBase))
    }

    /// Stores the bytes of an attachment; bytes that are not those of `key` are refused
    /// (admins).
    pub async fn restore_blob(&self, key: &BlobKey, bytes: &[u8]) -> Result<()> {
        self.require_admin()?;
        if &BlobKey::of(bytes) != key {
            return Err(Error::validation(
                "attachment",
                format!(
                    "the file {} does not hold the bytes of its name",
                    key.as_str()
                ),
            ));
        }
        let blobs = (self.desk.blobs.as_deref()).ok_or(Error::unsupported(Ability::Attachments))?;
        blobs.put_blob(key, bytes, self.desk.now()).await
    }

    /// Writes checked tickets in one batch, each as it was, with their CC and followers
    /// (admins): through the store's [`BulkRestore`](crate::store::BulkRestore), one
    /// transaction, when it offers one; else as [`restore_tickets_one_by_one`](Self::restore_tickets_one_by_one).
    pub async fn restore_tickets(&self, records: Vec<TicketRecord>) -> Result<()> {
        self.require_admin()?;
        match self.desk.store.as_bulk_restore() {
            Some(bulk) => bulk.restore_tickets(records).await,
            None => self.restore_tickets_one_by_one(records).await,
        }
    }

    /// Writes checked tickets through the ordinary commit, in one batch, each as it was,
    /// then their CC and followers one by one (admins): what a store without
    /// [`BulkRestore`](crate::store::BulkRestore) gets, and what a bulk restore must equal.
    pub async fn restore_tickets_one_by_one(&self, records: Vec<TicketRecord>) -> Result<()> {
        self.require_admin()?;
        let store = &self.desk.store;
        let mut extras = Vec::new();
        let mut writes = Vec::with_capacity(records.len());
        for mut record in records {
            let cc = std::mem::take(&mut record.cc);
            let followers = std::mem::take(&mut record.followers);
            if !cc.is_empty() || !followers.is_empty() {
                extras.push((record.ticket.id, cc, followers));
            }
            writes.push(Restore::ticket_write(record));
        }
        store.commit(WriteBatch::of(writes)).await?;
        if extras.is_empty() {
            return Ok(());
        }
        let f = store
            .as_follower_store()
            .ok_or(Error::unsupported(Ability::Followers))?;
        for (ticket, cc, followers) in extras {
            if !cc.is_empty() {
                f.add_cc(ticket, &cc).await?;
            }
            for agent in followers {
                f.set_following(ticket, agent, true).await?;
            }
        }
        Ok(())
    }

    /// Moves the ticket number sequence to at least `sequence` (admins), so that no number
    /// restored is given out again.
    pub async fn restore_sequence(&self, sequence: u64) -> Result<()> {
        self.require_admin()?;
        let store = &self.desk.store;
        let now = store.next_ticket_sequence().await?;
        if now < sequence {
            let mut left = sequence - now;
            while left > 0 {
                let step = u32::try_from(left.min(1_000_000)).unwrap_or(1_000_000);
                store.next_ticket_sequences(step).await?;
                left -= u64::from(step);
            }
        }
        Ok(())
    }
}
