//! The backend conformance suite and the proptest model test (feature `testkit`).
//!
//! Every store runs all of it from its own tests, the way `object_store` backends do:
//!
//! ```ignore
//! async fn make_store() -> Option<std::sync::Arc<dyn helpdesk_core::store::Store>> {
//!     Some(std::sync::Arc::new(my_backend::MyStore::open_in_memory().await.unwrap()))
//! }
//! helpdesk_core::conformance_suite!(make_store);
//! ```
//!
//! `make_store` returns a fresh, empty store per test (so tests run in parallel), or `None`
//! to skip (a backend whose server is not configured prints why). The generated tests are
//! `#[tokio::test(flavor = "multi_thread")]`, so the calling crate needs `tokio` with the
//! `macros` and `rt-multi-thread` features among its dev-dependencies.

pub mod blobs;
pub mod conformance;
pub mod conformance_accounts;
pub mod conformance_channels;
pub mod conformance_chat;
pub mod conformance_chat_store;
pub mod conformance_ingest;
pub mod conformance_mail;
pub mod conformance_reports;
pub mod emails;
mod fixture;
pub mod model;
pub mod samples;

pub use fixture::{Fixture, body};

/// The ability a check needs, or `None` after a loud `SKIPPED` line when the store does not
/// offer it (a backend without, say, live chat skips the chat checks and says so).
pub fn ability<'a, T: ?Sized>(offered: Option<&'a T>, name: &str) -> Option<&'a T> {
    if offered.is_none() {
        eprintln!("*** SKIPPED: the store does not offer {name} ***");
    }
    offered
}

/// Generates one `#[tokio::test]` per conformance check, each on a fresh store from
/// `$make_store` (an `async fn() -> Option<Arc<dyn Store>>`).
#[macro_export]
macro_rules! conformance_suite {
    ($make_store:path) => {
        $crate::conformance_suite!(@tests $make_store; conformance_accounts;
            logins_round_trip_are_replaced_per_actor_and_names_are_unique,
            tokens_are_found_by_hash_touched_listed_and_revoked,
            expired_tokens_are_deleted_and_live_ones_kept,
        );
        $crate::conformance_suite!(@tests $make_store; conformance_mail;
            notifications_are_written_with_their_ticket_and_keep_their_state,
            the_outbox_leases_each_email_once_and_records_delivery,
            concurrent_dispatchers_lease_each_email_once,
            mail_references_thread_and_a_taken_message_id_commits_nothing,
            notifications_and_mail_outside_the_batch_are_refused,
        );
        $crate::conformance_suite!(@tests $make_store; conformance_channels;
            events_notify_the_people_they_concern,
            notifications_are_read_snoozed_and_dismissed_by_their_owner_only,
            sla_and_auto_close_warnings_reach_agents_and_customers,
            customer_email_is_queued_with_the_change_in_their_language,
            uploads_within_limits_are_stored_and_readable_only_by_message_readers,
            agents_email_a_tickets_public_thread_without_notes,
        );
        $crate::conformance_suite!(@tests $make_store; conformance_ingest;
            mail_opens_a_ticket_and_replies_thread_into_it_once,
            a_subject_tag_threads_only_for_the_customer_or_a_participant,
            automatic_mail_never_opens_tickets_or_answers,
            refused_mail_stores_nothing,
            every_mail_of_the_corpus_is_taken_in_or_refused_cleanly,
        );
        $crate::conformance_suite!(@tests $make_store; conformance_reports;
            reports_match_the_reference_for_every_grouping_and_range,
            only_supervisors_and_admins_read_reports_of_their_departments,
        );
        $crate::conformance_suite!(@tests $make_store; conformance_chat;
            chats_go_to_the_least_busy_online_agent_or_wait_in_line,
            chat_messages_are_stored_as_sent_in_the_chats_ticket,
            the_assistant_answers_from_the_knowledge_base_first,
            unanswered_chats_are_handed_to_the_ticket_queue,
            concurrent_routing_never_fills_a_seat_twice,
        );
        $crate::conformance_suite!(@tests $make_store; conformance_chat_store;
            chat_store_agrees_with_the_memory_store,
            concurrent_chat_commits_from_one_version_have_one_winner,
        );
        $crate::conformance_suite!(@tests $make_store; conformance;
            directory_round_trips,
            unique_emails_and_contract_numbers_conflict,
            ticket_numbers_are_unique_under_concurrent_creation,
            tickets_are_found_by_full_short_and_persian_numbers,
            a_customer_opens_a_ticket_and_reads_it_back,
            the_first_agent_reply_opens_the_ticket_and_carries_the_signature,
            internal_notes_are_never_shown_to_customers,
            a_customer_reply_reopens_pending_and_resolved_tickets,
            resolve_then_confirm_closes_as_solved,
            follow_up_policies_reopen_reject_or_open_a_new_ticket,
            illegal_commands_are_typed_errors_and_change_nothing,
            a_stale_version_conflicts_and_writes_nothing,
            concurrent_updates_from_one_version_let_exactly_one_win,
            concurrent_commands_without_a_version_all_apply,
            edits_are_recorded_in_the_history,
            priority_rules_follow_the_customer_kind,
            a_disabled_customer_can_neither_open_nor_reply,
            customers_see_only_their_own_tickets,
            internal_tickets_are_for_agents_only,
            agents_act_only_in_their_departments,
            merging_closes_the_source_and_refuses_replies,
            master_tickets_collect_linked_tickets,
            time_entries_are_logged_and_billable_ones_shown_to_customers,
            list_filters_match_the_reference,
            pagination_visits_every_ticket_once_in_order,
            a_batch_with_a_stale_write_commits_nothing,
            a_duplicate_number_commits_nothing,
            malformed_batches_are_refused_and_commit_nothing,
            timers_round_trip_and_due_tickets_and_the_waiting_order_match_the_reference,
            sla_targets_count_business_hours_of_the_departments_calendar,
            sla_warnings_and_breaches_fire_once_and_run_due_is_idempotent,
            sla_clocks_pause_while_waiting_for_the_customer,
            a_priority_change_moves_the_due_times,
            a_pending_reminder_brings_the_ticket_back_to_open,
            silent_tickets_close_after_five_working_days_with_a_warning,
            waiting_time_counts_from_the_oldest_unanswered_message,
            run_due_from_two_processes_writes_each_event_once,
            moving_departments_measures_on_each_departments_calendar,
            search_folds_four_languages_both_ways,
            search_phrases_prefixes_exclusions_and_patterns,
            search_shows_customers_no_internal_notes_and_no_other_tickets,
            hostile_queries_give_results_or_validation_errors,
            search_with_filters_and_pages_matches_the_reference,
            customer_look_up_by_contract_phone_email_and_address_pattern,
            knowledge_base_search_suggestions_and_votes,
            saved_searches_are_per_agent_and_run_their_filter,
            search_results_rank_subject_matches_first,
            customers_rate_solved_tickets_once,
            priority_requests_are_decided_within_the_priority_rules,
            ticket_templates_fill_in_and_refuse_missing_fields,
            canned_responses_fill_placeholders_and_keep_one_signature,
        );
    };
    (@tests $make_store:path; $file:ident; $($name:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                match $make_store().await {
                    Some(store) => $crate::testkit::$file::$name(store).await,
                    None => eprintln!(concat!("SKIPPED: ", stringify!($name), ": no store configured")),
                }
            }
        )*
    };
}
