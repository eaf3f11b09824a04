//! The backend conformance suite: every check a store must pass, run by
//! [`conformance_suite!`](crate::conformance_suite) as one test each.
//!
//! - [`contract`]: the store contract, on a raw [`Store`](crate::store::Store) and the
//!   abilities it offers: round trips, what a commit means rule by rule, lists, search,
//!   notifications and the outbox, the blob references, concurrency, and each ability
//!   beside the in-memory reference.
//! - [`desk`]: desk behaviour, through [`Helpdesk`](crate::Helpdesk) and
//!   [`Acting`](crate::service::Acting): a ticket's life, who may do what, service levels,
//!   notifications and e-mail, attachments and the blob sweep, mail in, live chat, reports,
//!   the desk's settings, and [`Unsupported`](crate::Error::Unsupported) answers on a store without abilities.
//!
//! A check that needs an ability the store does not offer skips with a loud `SKIPPED` line
//! (see [`ability`](crate::testkit::ability)).

// Each check is named for the behaviour it checks, which is its documentation.
#[allow(missing_docs)]
pub mod contract;
#[allow(missing_docs)]
pub mod desk;
mod rng;

/// Generates one `#[tokio::test]` per conformance check, each on a fresh store from
/// `$make_store` (an `async fn() -> Option<Arc<dyn Store>>`, `None` to skip), in modules
/// named after the checks' layer and file (`contract::commit::a_ticket_number_never_changes`).
#[macro_export]
macro_rules! conformance_suite {
    ($make_store:path) => {
        /// The store under test, fresh and empty, or `None` to skip.
        async fn __conformance_store()
        -> ::std::option::Option<::std::sync::Arc<dyn $crate::store::Store>> {
            $make_store().await
        }

        $crate::conformance_suite!(@layer contract {
                account_links: [
                    account_links_round_trip_replace_older_ones_of_their_kind_and_are_taken_once,
                    expired_account_links_are_deleted_and_live_ones_kept,
                    concurrent_takes_of_a_link_give_it_to_exactly_one,
                ],
                accounts: [
                    logins_round_trip_are_replaced_per_actor_and_names_are_unique,
                    tokens_are_found_by_hash_touched_listed_and_revoked,
                    expired_tokens_are_deleted_and_live_ones_kept,
                ],
                blobs: [
                    referenced_blobs_are_the_keys_attachments_name,
                ],
                chat: [
                    chat_commits_and_queries_agree_with_the_reference,
                    concurrent_chat_commits_from_one_version_have_one_winner,
                ],
                commit: [
                    malformed_batches_are_refused_and_write_nothing,
                    a_new_ticket_needs_a_free_id_and_number,
                    an_update_of_a_missing_ticket_is_not_found,
                    a_ticket_number_never_changes,
                    a_stale_version_is_a_conflict_naming_both_versions,
                    a_taken_message_id_is_a_duplicate,
                    taken_notification_and_email_ids_are_duplicates,
                    a_batch_of_every_kind_of_write_is_written_whole,
                ],
                commit_order: [
                    the_first_broken_rule_is_the_error,
                ],
                customer_lists: [
                    customer_list_filters_agree_with_the_reference,
                    customer_pages_follow_name_then_id_with_the_filters_total,
                    customer_list_text_follows_changed_contact_data,
                    a_persons_organisation_round_trips_and_is_cleared,
                ],
                concurrency: [
                    concurrent_creations_get_distinct_numbers,
                    concurrent_updates_from_one_version_let_exactly_one_win,
                    crossing_batches_conflict_instead_of_deadlocking,
                    concurrent_batches_with_one_message_id_commit_one,
                    concurrent_dispatchers_lease_each_email_once,
                ],
                content: [
                    templates_and_canned_responses_are_read_by_id_and_deleted,
                    deleted_articles_leave_lists_search_suggestions_and_votes,
                    categories_are_renamed_with_their_articles_and_deleted_only_when_unused,
                ],
                directory: [
                    directory_records_round_trip_and_replace,
                    directory_lists_are_in_the_references_order,
                    taken_unique_values_conflict_like_the_reference,
                ],
                hostile_search: [
                    hostile_queries_agree_with_the_reference,
                    hand_made_terms_agree_with_the_reference,
                ],
                knowledge: [
                    article_search_and_suggestions_agree_with_the_reference,
                    concurrent_votes_are_all_counted,
                    each_person_has_one_vote_per_article,
                    one_persons_concurrent_votes_count_once,
                ],
                lists: [
                    lists_and_pages_agree_with_the_reference,
                    ticket_counts_agree_with_the_filter,
                ],
                look_ups: [
                    customer_look_ups_agree_with_the_reference,
                ],
                notifications: [
                    notifications_are_written_with_their_ticket_and_listed_like_the_reference,
                    dismissing_all_dismisses_what_is_shown_and_nothing_else,
                ],
                outbox: [
                    the_outbox_leases_each_email_once_and_records_delivery,
                    mail_references_keep_their_order_and_compare_exactly,
                ],
                relevance: [
                    relevance_pages_agree_with_the_reference,
                ],
                reports: [
                    reports_agree_with_the_reference_over_varied_tickets,
                ],
                saved_searches: [
                    saved_searches_agree_with_the_reference,
                ],
                search: [
                    searches_agree_with_the_reference_as_tickets_change,
                    every_stored_word_is_found_like_the_reference,
                ],
                mailboxes: [
                    mailboxes_round_trip_keep_their_last_round_and_audit_each_change,
                ],
                moves: [
                    moved_entries_join_the_end_of_the_new_ticket_with_their_origin,
                ],
                quarantine: [
                    quarantined_mail_keeps_its_bytes_and_pages_newest_first,
                    ignored_mail_is_logged_and_paged_newest_first,
                ],
                undeliverable: [
                    undeliverable_marks_round_trip_list_in_force_by_address_and_clear,
                ],
                settings: [
                    settings_round_trip_replace_and_delete_like_the_reference,
                    audited_writes_commit_with_their_change_or_not_at_all,
                ],
                sign_in_throttle: [
                    attempts_are_counted_in_the_window_and_refused_past_the_limit,
                    concurrent_attempts_for_one_key_record_at_most_the_limit,
                ],
                templates: [
                    templates_round_trip_replace_and_sort_like_the_reference,
                    canned_response_filters_agree_with_the_reference,
                ],
                tickets: [
                    tickets_and_everything_on_them_round_trip,
                    the_sequence_counts_from_one_and_never_repeats,
                    blocks_of_sequence_values_never_repeat_a_value,
                ],
                together: [
                    reads_together_agree_with_the_one_by_one_reads,
                ],
                waiting: [
                    the_waiting_order_and_due_tickets_agree_with_the_reference,
                ],
                tags: [
                    tag_counts_agree_with_the_reference,
                ],
                followers: [
                    cc_addresses_and_followers_agree_with_the_reference,
                ],
                automation: [
                    rules_and_macros_round_trip_in_their_order,
                    firings_commit_with_their_batch_or_not_at_all,
                ],
                feed: [
                    each_committed_batch_yields_its_records_in_order,
                    a_refused_commit_yields_no_records,
                    positions_strictly_increase,
                    a_follower_sees_every_record_of_concurrent_committers_once_in_order,
                    a_waiting_reader_is_woken_by_a_commit,
                    pruning_removes_only_the_older_records,
                ],
                rule_runs: [
                    a_rule_run_is_taken_once_until_the_next_is_due,
                    concurrent_takers_of_a_rule_run_give_it_to_exactly_one,
                    the_last_runs_are_listed_and_a_shorter_period_counts_from_the_last,
                ],
                bulk_restore: [
                    a_bulk_restore_equals_the_ordinary_restore,
                ],
                firing_versions: [
                    a_rule_firing_commits_only_with_its_ticket_moved_to_its_next_version,
                ],
        });
        $crate::conformance_suite!(@layer desk {
                account_links: [
                    invitations_set_a_password_once_and_expire_after_seven_days,
                    reset_links_replace_the_password_and_sign_the_person_out,
                    links_are_emailed_in_the_persons_language_when_the_desk_can,
                    who_may_make_links_and_disabled_people_cannot_use_them,
                ],
                feed: [
                    each_principal_follows_only_what_they_may_see,
                    a_waiting_customer_is_woken_by_their_ticket_not_anothers,
                    run_due_prunes_changes_older_than_the_stored_retention,
                ],
                access: [
                    priority_rules_follow_the_customer_kind,
                    a_disabled_customer_can_neither_open_nor_reply,
                    customers_see_only_their_own_tickets,
                    internal_tickets_are_for_agents_only,
                    agents_act_only_in_their_departments,
                ],
                acting_with: [
                    a_principal_read_with_the_requests_reads_is_admitted_and_served_as_acting_as_does,
                ],
                attachments: [
                    uploads_within_limits_are_stored_and_readable_only_by_message_readers,
                    stored_department_limits_apply_in_every_process,
                    inbound_mail_to_a_departments_address_gets_that_departments_limits,
                    one_file_per_case_holds_on_every_path_that_adds_files,
                    bytes_per_ticket_count_every_message_of_the_ticket,
                ],
                blobs: [
                    a_failed_commit_keeps_the_blobs_it_uploaded,
                    the_sweep_removes_only_old_unreferenced_blobs,
                    old_referenced_blobs_never_hold_the_sweep_back,
                ],
                chat: [
                    chats_go_to_the_least_busy_online_agent_or_wait_in_line,
                    chat_messages_are_stored_as_sent_in_the_chats_ticket,
                    the_assistant_answers_from_the_knowledge_base_first,
                    unanswered_chats_are_handed_to_the_ticket_queue,
                    concurrent_routing_never_fills_a_seat_twice,
                    the_assistant_offers_the_customers_language_first_within_the_desks_count,
                ],
                commands: [
                    illegal_commands_are_typed_errors_and_change_nothing,
                    a_stale_version_conflicts_and_writes_nothing,
                    concurrent_commands_from_one_version_let_exactly_one_win,
                    eight_concurrent_replies_without_a_version_all_apply_once,
                    thirty_two_concurrent_replies_without_a_version_all_apply_once,
                    edits_are_recorded_in_the_history,
                ],
                content: [
                    templates_and_canned_responses_are_edited_and_deleted_by_those_allowed,
                    articles_need_a_stored_category_and_categories_in_use_stay,
                    template_canned_response_and_category_changes_are_audited,
                ],
                directory: [
                    customer_look_up_by_contract_phone_email_and_address_pattern,
                    only_staff_list_the_customer_directory,
                    customer_edits_change_the_record_and_check_the_organisation,
                    a_person_is_created_in_an_organisation_and_bad_ones_write_nothing,
                    a_customer_sets_their_own_language,
                ],
                email: [
                    customer_email_is_queued_with_the_change_in_their_language,
                    agents_email_a_tickets_public_thread_without_notes,
                    customer_email_links_the_ticket_when_a_public_url_is_set,
                ],
                feedback: [
                    customers_rate_solved_tickets_once,
                    priority_requests_are_decided_within_the_priority_rules,
                    feedback_is_offered_only_when_the_desk_would_take_it,
                    the_system_is_offered_no_priority_request_and_no_rating,
                ],
                hidden: [
                    a_customer_gets_the_same_answer_for_another_customers_ticket_as_for_a_missing_one,
                ],
                ingest: [
                    mail_opens_a_ticket_and_replies_thread_into_it_once,
                    a_subject_tag_threads_only_for_the_customer_or_a_participant,
                    automatic_mail_never_opens_tickets_or_answers,
                    a_bounce_of_the_desks_email_is_noted_on_its_ticket_once,
                    list_mail_system_senders_and_frequent_senders_get_no_automatic_answer,
                    refused_mail_stores_nothing,
                    refused_files_are_kept_aside_for_agents_and_the_text_goes_in,
                    replies_follow_merges_long_references_thread_and_duplicates_need_the_same_sender,
                    every_mail_of_the_corpus_is_taken_in_or_refused_cleanly,
                ],
                knowledge: [
                    knowledge_base_search_suggestions_and_votes,
                    the_index_lists_by_category_what_the_reader_may_read,
                    the_readers_language_comes_first_and_other_languages_follow,
                ],
                logins: [
                    disabling_a_person_revokes_their_tokens_and_refuses_sign_in,
                ],
                mail_settings: [
                    only_admins_set_mail_settings_and_every_change_is_audited,
                    mail_to_a_departments_address_lands_there_and_its_answers_go_out_from_it,
                    list_mail_is_ignored_or_taken_in_per_address,
                    the_stored_answer_limit_applies_in_every_process,
                ],
                master_tickets: [
                    an_outage_resolution_on_the_master_tells_every_linked_customer_and_closing_closes_them,
                    a_customers_reply_on_a_linked_ticket_stays_on_it,
                    a_masters_reply_skips_closed_linked_tickets_and_the_console_lists_them,
                ],
                merge_split: [
                    merging_moves_the_thread_and_history_into_the_target,
                    a_merged_tickets_number_and_replies_lead_to_the_target,
                    mail_to_a_merged_ticket_lands_in_the_target,
                    splitting_moves_chosen_messages_into_a_new_linked_ticket,
                    refused_merges_and_splits_are_typed_errors_that_change_nothing,
                ],
                links: [
                    merging_closes_the_source_and_sends_replies_to_the_target,
                    master_tickets_collect_linked_tickets,
                    time_entries_are_logged_and_billable_ones_shown_to_customers,
                    customers_read_a_billable_entrys_note_only_when_it_was_made_visible,
                ],
                notifications: [
                    events_notify_the_people_they_concern,
                    notifications_are_read_snoozed_and_dismissed_by_their_owner_only,
                    sla_and_auto_close_warnings_reach_agents_and_customers,
                ],
                agent_notices: [
                    notification_preferences_default_and_are_set_by_the_agent_or_an_admin,
                    a_new_ticket_tells_the_departments_agents_as_each_chose,
                    a_customers_reply_tells_the_department_as_each_chose,
                    an_assignment_tells_the_assignee_as_they_chose,
                    sla_warnings_and_breaches_tell_the_supervisors_as_each_chose_when_unassigned,
                    sla_warnings_and_breaches_tell_the_assignee_only_when_assigned,
                    a_pending_reminder_tells_the_department_as_each_chose,
                    a_priority_request_tells_the_department_as_each_chose,
                    a_waiting_chat_tells_the_agents_who_take_its_chats_as_each_chose,
                ],
                chat_mail: [
                    chat_lines_send_no_mail_no_notification_and_no_signature,
                    the_transcript_goes_once_to_the_customer_who_asks_at_the_end,
                ],
                organisation_priorities: [
                    a_priority_rule_matches_the_organisation_and_its_members,
                    stored_priority_rules_are_set_by_admins_and_decide_new_tickets,
                ],
                paging: [
                    a_priority_queue_paged_while_tickets_change_lists_each_once_or_reports_it,
                    the_last_update_list_paged_while_tickets_change_lists_each_once_or_reports_it,
                    a_relevance_search_paged_while_tickets_change_lists_each_once_or_reports_it,
                    ticket_counts_are_scoped_like_lists,
                    a_thread_is_read_in_pages_newest_first_like_the_reference,
                    a_ticket_with_its_thread_is_the_ticket_and_its_newest_page,
                ],
                priorities: [
                    a_priority_the_rules_do_not_allow_is_applied_otherwise_with_a_notice,
                    a_priority_request_above_the_cap_is_refused_when_filed,
                    the_priorities_offered_are_the_ones_that_apply_as_chosen,
                ],
                mailboxes: [
                    an_admin_stores_a_mailbox_and_its_password_is_never_shown,
                    bad_mailbox_settings_are_refused_and_nothing_is_written,
                    only_admins_reach_the_stored_mailboxes,
                    only_enabled_mailboxes_are_fetched_and_each_round_is_recorded,
                ],
                quarantine: [
                    mail_the_desk_cannot_take_in_is_kept_whole_and_nothing_else_is_written,
                    an_admin_reprocesses_quarantined_mail_and_it_leaves_once_taken_in,
                    only_admins_reach_the_quarantine_and_the_ignored_mail_log,
                    ignored_list_mail_is_logged_without_its_bytes,
                ],
                organisations: [
                    organisation_domains_are_validated_unique_and_staff_only,
                    a_new_person_at_an_organisations_domain_joins_it,
                    a_member_with_the_flag_lists_reads_and_replies_to_the_organisations_tickets,
                    the_flag_is_staffs_to_set_and_needs_an_organisation,
                ],
                undeliverable: [
                    a_permanent_bounce_marks_the_address_and_the_outbox_skips_it_until_mail_from_it,
                    a_bounce_to_the_verp_address_is_matched_without_returned_headers,
                    a_delay_or_an_address_the_desk_never_mailed_marks_nothing,
                    only_admins_list_and_clear_marks_which_last_their_time,
                ],
                reports: [
                    reports_of_a_week_of_work_match_the_reference,
                    only_supervisors_and_admins_read_reports_of_their_departments,
                ],
                saved_searches: [
                    saved_searches_are_per_agent_and_run_their_filter,
                ],
                search: [
                    search_folds_four_languages_both_ways,
                    search_phrases_prefixes_exclusions_and_patterns,
                    search_shows_customers_no_internal_notes_and_no_other_tickets,
                    search_results_rank_subject_matches_first,
                ],
                search_box: [
                    search_finds_other_forms_of_words_in_english_romanian_and_russian,
                    exact_matches_rank_before_stemmed_ones,
                    persian_search_folds_letter_forms_zwnj_and_plurals,
                    the_box_finds_a_ticket_by_its_number_in_latin_and_persian_digits,
                    the_box_finds_a_customers_tickets_by_name_email_and_phone,
                    phones_match_in_national_and_international_form,
                ],
                settings: [
                    only_admins_read_and_set_the_public_url,
                    stored_service_levels_apply_in_every_process_and_are_audited,
                ],
                sla: [
                    sla_targets_count_business_hours_of_the_departments_calendar,
                    sla_warnings_and_breaches_fire_once_and_run_due_is_idempotent,
                    sla_clocks_pause_while_waiting_for_the_customer,
                    a_priority_change_moves_the_due_times,
                    moving_departments_measures_on_each_departments_calendar,
                ],
                templates: [
                    ticket_templates_fill_in_and_refuse_missing_fields,
                    canned_responses_fill_placeholders_and_keep_one_signature,
                ],
                tickets: [
                    a_customer_opens_a_ticket_and_reads_it_back,
                    tickets_are_found_by_full_short_and_persian_numbers,
                    the_first_agent_reply_opens_the_ticket_and_carries_the_signature,
                    internal_notes_are_never_shown_to_customers,
                    a_customer_reply_reopens_pending_and_resolved_tickets,
                    resolve_then_confirm_closes_as_solved,
                    follow_up_policies_reopen_reject_or_open_a_new_ticket,
                ],
                timers: [
                    a_pending_reminder_brings_the_ticket_back_to_open,
                    silent_tickets_close_after_five_working_days_with_a_warning,
                    waiting_time_counts_from_the_oldest_unanswered_message,
                    run_due_from_two_processes_writes_each_event_once,
                ],
                unsupported: [
                    calls_that_need_a_missing_ability_are_unsupported,
                    a_store_without_settings_has_no_public_url_and_refuses_settings,
                ],
                votes: [
                    voting_twice_the_same_way_counts_once,
                    changing_a_vote_moves_it,
                    each_person_counts_once_customers_and_agents_alike,
                    concurrent_votes_by_one_person_count_once,
                    the_system_does_not_vote,
                ],
                erasure: [
                    an_admin_erases_a_customer_and_nothing_of_them_is_findable,
                    an_anonymised_customers_tickets_stay_for_reports_without_their_data,
                    retention_erases_closed_tickets_past_their_age_once_with_two_workers,
                    retention_anonymises_closed_tickets_once,
                ],
                followers: [
                    cc_addresses_of_the_customers_mail_are_kept_on_the_ticket,
                    cc_addresses_get_the_agents_public_replies_by_mail_but_never_notes,
                    a_cc_participants_mail_lands_in_the_tickets_thread,
                    a_strangers_mail_naming_a_ticket_is_not_added_to_it,
                    agents_follow_and_unfollow_and_the_assignee_follows,
                    followers_are_told_of_replies_notes_and_status_changes,
                    a_mention_in_a_note_notifies_the_agent_named,
                    an_invalid_cc_address_is_a_typed_error_and_nothing_is_written,
                ],
                tags: [
                    agents_tag_tickets_with_a_history_entry_and_customers_never_see_them,
                    tag_filters_list_the_tickets_with_any_of_the_tags,
                    tags_in_use_complete_a_prefix_most_used_first_within_the_agents_departments,
                    bulk_tagging_changes_every_ticket_or_none,
                ],
                automation: [
                    a_trigger_acts_in_the_same_commit_as_the_change_and_is_logged,
                    rules_run_by_position_and_their_own_changes_fire_no_rule,
                    rules_fire_at_most_ten_times_an_hour_on_a_ticket,
                    a_dry_run_lists_the_tickets_a_rule_would_touch_and_writes_nothing,
                    only_admins_manage_rules_and_invalid_rules_write_nothing,
                    a_macro_applies_to_each_ticket_in_one_commit_as_the_agent_may,
                ],
                webhooks: [
                    a_change_writes_a_delivery_for_each_enabled_endpoint_that_wants_it,
                    a_refused_commit_writes_no_delivery,
                    only_admins_manage_webhooks_audited_and_bad_input_writes_nothing,
                    due_deliveries_are_leased_once_retried_with_backoff_then_the_endpoint_disabled,
                    four_concurrent_dispatchers_lease_each_due_delivery_once,
                ],
                presence: [
                    presence_expires_without_heartbeats_and_routing_passes_the_absent_by,
                    only_admins_set_the_presence_timeout_and_it_is_audited,
                ],
                person_settings: [
                    people_keep_their_own_time_zone_and_staff_their_page_language,
                ],
                snoozed_notifications: [
                    snoozed_notifications_are_listed_with_their_time_until_they_come_back,
                ],
                scheduled_rules: [
                    a_scheduled_rule_closes_tickets_left_pending_long_enough_once_per_run,
                    desks_running_due_work_at_once_handle_each_ticket_once_per_run,
                    scheduled_rules_are_checked_and_their_dry_run_lists_old_enough_tickets,
                    the_notify_action_tells_the_assignee_a_department_or_an_agent_in_the_same_commit,
                ],
                macro_editing: [
                    macros_are_edited_by_admins_checked_and_audited,
                ],
                rule_next_runs: [
                    each_scheduled_rule_says_when_it_runs_next,
                ],
                sla_triggers: [
                    sla_warnings_and_breaches_raised_by_run_due_fire_triggers,
                ],
                admin_notices: [
                    an_endpoint_disabled_after_repeated_failures_tells_each_active_admin_at_once,
                ],
                rule_webhooks: [
                    a_trigger_calling_a_webhook_writes_one_delivery_per_firing_with_the_change,
                    a_refused_change_writes_no_rule_delivery_and_a_disabled_endpoint_none,
                    a_rule_calling_no_endpoint_is_refused_and_a_disabled_one_is_skipped_in_the_log,
                ],
                firing_limit: [
                    concurrent_changes_to_one_ticket_fire_rules_at_most_the_hourly_limit,
                ],
                due_instant: [
                    triggers_fired_by_run_due_act_at_the_instant_it_was_given,
                    scheduled_rules_act_at_the_instant_run_due_was_given,
                ],
        });
    };
    (@layer $layer:ident { $($topic:ident: [$($name:ident),* $(,)?],)* }) => {
        mod $layer {
            $(
                mod $topic {
                    $(
                        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                        async fn $name() {
                            match super::super::__conformance_store().await {
                                Some(store) => {
                                    $crate::testkit::conformance::$layer::$topic::$name(store).await
                                }
                                None => eprintln!(concat!(
                                    "*** SKIPPED: ",
                                    stringify!($name),
                                    ": no store configured ***"
                                )),
                            }
                        }
                    )*
                }
            )*
        }
    };
}
