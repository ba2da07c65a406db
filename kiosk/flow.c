/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The visitor's journey (MISSION.md, "What each user does"): attract →
 * detected when a Bluezone phone stays near (presence starts its visit);
 * "Check in" with nothing near → not-detected → prompt-open or
 * prompt-install; a new Bluezone visit while a prompt shows → thanks (an
 * install assisted at the desk); "no smartphone" records a visit without an
 * app; "Check out" ends the nearest phone's visit. Every screen a visitor
 * can walk away from times out back to attract. */
#include "flow.h"

#include <errno.h>
#include <string.h>

static const char *const state_names[FLOW_STATE_COUNT] = {
    [FLOW_ATTRACT] = "attract",
    [FLOW_DETECTED] = "detected",
    [FLOW_PROMPT_INSTALL] = "prompt-install",
    [FLOW_PROMPT_OPEN] = "prompt-open",
    [FLOW_THANKS] = "thanks",
    [FLOW_NO_SMARTPHONE] = "no-smartphone",
    [FLOW_CHECKOUT] = "checkout",
    [FLOW_NOT_DETECTED] = "not-detected",
};

static const char *const input_names[FLOW_INPUT_COUNT] = {
    [FLOW_TOUCH_CHECK_IN] = "check-in",   [FLOW_TOUCH_HAVE_APP] = "have-app",
    [FLOW_TOUCH_NO_APP] = "no-app",       [FLOW_TOUCH_NO_SMARTPHONE] = "no-smartphone",
    [FLOW_TOUCH_CHECK_OUT] = "check-out", [FLOW_TOUCH_BACK] = "back",
};

const char *flow_state_name(enum flow_state state)
{
    return (unsigned)state < FLOW_STATE_COUNT ? state_names[state] : "unknown";
}

const char *flow_input_name(enum flow_input input)
{
    return (unsigned)input < FLOW_INPUT_COUNT ? input_names[input] : "unknown";
}

int flow_input_parse(const char *name, enum flow_input *input)
{
    for (int i = 0; i < FLOW_INPUT_COUNT; i++)
        if (strcmp(input_names[i], name) == 0) {
            *input = (enum flow_input)i;
            return 0;
        }
    return -EINVAL;
}

void flow_params_from_config(struct flow_params *fp, const struct config *cfg)
{
    fp->searching_ms = (int64_t)cfg->prompt_after_s * 1000;
    fp->detected_ms = 6000;
    fp->not_detected_ms = 60000;
    fp->prompt_ms = 300000; /* installing and starting the app takes a few minutes */
    fp->thanks_ms = 8000;
    fp->no_smartphone_ms = 8000;
    fp->checkout_ms = 5000;
}

static void emit(struct flow *f, struct record *rec)
{
    if (f->emit)
        f->emit(rec, f->userdata);
}

static void go(struct flow *f, enum flow_state state, int64_t now)
{
    f->state = state;
    f->since_ms = now;
    f->searching = false;
    if (state == FLOW_ATTRACT) {
        f->prompted = false;
        f->visitor_visit = 0;
        f->visitor_entry_ms = 0;
    }
}

void flow_init(struct flow *f, const struct flow_params *prm, struct presence *presence,
               record_sink_fn emit_fn, void *userdata, int64_t now)
{
    memset(f, 0, sizeof(*f));
    f->prm = *prm;
    f->presence = presence;
    f->emit = emit_fn;
    f->userdata = userdata;
    go(f, FLOW_ATTRACT, now);
}

static void show_prompt(struct flow *f, enum record_prompt which, int64_t now)
{
    struct record rec = {.type = RECORD_PROMPT, .t_ms = now, .prompt = (uint8_t)which};

    go(f, which == RECORD_PROMPT_INSTALL ? FLOW_PROMPT_INSTALL : FLOW_PROMPT_OPEN, now);
    if (!f->prompted)
        f->prompt_ms = now;
    f->prompted = true;
    f->prompt = (uint8_t)which;
    emit(f, &rec);
}

/* A visit made on the screen, with no phone to follow: it starts and ends
 * at once (nobody can tell when the visitor leaves; the exit is the last
 * touch, flagged "absent" like a phone gone quiet). */
static void touch_visit(struct flow *f, enum visit_app app, int64_t now)
{
    struct record rec = {.type = RECORD_VISIT_START, .t_ms = now, .kind = BEACON_OTHER};

    rec.visit.id = presence_new_visit_id(f->presence);
    rec.visit.entry_ms = f->prompted ? f->prompt_ms : now;
    rec.visit.method = VISIT_METHOD_TOUCH;
    rec.visit.app = (uint8_t)app;
    rec.visit.kind = BEACON_OTHER;
    rec.visit.prompt_shown = f->prompted;
    rec.visit.clock_ok = true;
    emit(f, &rec);
    rec.type = RECORD_VISIT_END;
    rec.visit.exit_ms = now;
    rec.visit.exit_reason = VISIT_EXIT_ABSENT;
    emit(f, &rec);
    f->visitor_visit = rec.visit.id;
    f->visitor_entry_ms = rec.visit.entry_ms;
    f->visitor_app = (uint8_t)app;
}

static bool check_out(struct flow *f, int64_t now)
{
    f->visitor_visit = presence_checkout(f->presence, now);
    go(f, FLOW_CHECKOUT, now);
    return true;
}

bool flow_input(struct flow *f, enum flow_input input, int64_t now)
{
    switch (f->state) {
    case FLOW_ATTRACT:
        if (input == FLOW_TOUCH_CHECK_IN) {
            f->searching = true;
            f->searching_since_ms = now;
            return true;
        }
        if (input == FLOW_TOUCH_NO_SMARTPHONE) {
            touch_visit(f, VISIT_APP_NO_SMARTPHONE, now);
            go(f, FLOW_NO_SMARTPHONE, now);
            f->visitor_entry_ms = now;
            return true;
        }
        if (input == FLOW_TOUCH_CHECK_OUT)
            return check_out(f, now);
        if (input == FLOW_TOUCH_BACK && f->searching) {
            f->searching = false;
            return true;
        }
        return false;
    case FLOW_NOT_DETECTED:
    case FLOW_PROMPT_INSTALL:
    case FLOW_PROMPT_OPEN:
        switch (input) {
        case FLOW_TOUCH_HAVE_APP:
            if (f->state == FLOW_PROMPT_OPEN)
                return false;
            show_prompt(f, RECORD_PROMPT_OPEN, now);
            return true;
        case FLOW_TOUCH_NO_APP:
            if (f->state == FLOW_PROMPT_INSTALL)
                return false;
            show_prompt(f, RECORD_PROMPT_INSTALL, now);
            return true;
        case FLOW_TOUCH_NO_SMARTPHONE: {
            int64_t entry;
            touch_visit(f, VISIT_APP_NO_SMARTPHONE, now);
            entry = f->visitor_entry_ms;
            go(f, FLOW_NO_SMARTPHONE, now);
            f->visitor_entry_ms = entry;
            return true;
        }
        case FLOW_TOUCH_BACK:
            if (f->prompted)
                touch_visit(f, VISIT_APP_NONE, now);
            go(f, FLOW_ATTRACT, now);
            return true;
        case FLOW_TOUCH_CHECK_IN:
        case FLOW_TOUCH_CHECK_OUT:
        case FLOW_INPUT_COUNT:
            return false;
        }
        return false;
    case FLOW_DETECTED:
    case FLOW_THANKS:
        if (input == FLOW_TOUCH_CHECK_OUT)
            return check_out(f, now);
        if (input == FLOW_TOUCH_BACK) {
            go(f, FLOW_ATTRACT, now);
            return true;
        }
        return false;
    case FLOW_NO_SMARTPHONE:
    case FLOW_CHECKOUT:
        if (input == FLOW_TOUCH_BACK) {
            go(f, FLOW_ATTRACT, now);
            return true;
        }
        return false;
    case FLOW_STATE_COUNT:
        break;
    }
    return false;
}

void flow_record(struct flow *f, const struct record *rec, int64_t now)
{
    const struct visit *v = &rec->visit;

    if (rec->type != RECORD_VISIT_START || v->method != VISIT_METHOD_AUTO || v->staff ||
        !beacon_kind_is_bluezone((enum beacon_kind)v->kind))
        return;
    if (f->prompted && (f->state == FLOW_PROMPT_INSTALL || f->state == FLOW_PROMPT_OPEN ||
                        f->state == FLOW_NOT_DETECTED)) {
        /* Bluezone started on the phone at the desk after the prompt */
        bool installed = f->prompt == RECORD_PROMPT_INSTALL;
        presence_visit_mark(f->presence, v->id, true, installed, now);
        go(f, FLOW_THANKS, now);
        f->visitor_visit = v->id;
        f->visitor_entry_ms = v->entry_ms;
        f->visitor_app = v->app;
        return;
    }
    if (f->state == FLOW_PROMPT_INSTALL || f->state == FLOW_PROMPT_OPEN)
        return;
    go(f, FLOW_DETECTED, now);
    f->visitor_visit = v->id;
    f->visitor_entry_ms = v->entry_ms;
    f->visitor_app = v->app;
}

void flow_tick(struct flow *f, int64_t now)
{
    int64_t in_state = now - f->since_ms;

    switch (f->state) {
    case FLOW_ATTRACT:
        if (f->searching && now - f->searching_since_ms >= f->prm.searching_ms) {
            if (presence_bluezone_near(f->presence, now))
                go(f, FLOW_DETECTED, now); /* its visit was already recorded */
            else
                go(f, FLOW_NOT_DETECTED, now);
        }
        break;
    case FLOW_DETECTED:
        if (in_state >= f->prm.detected_ms)
            go(f, FLOW_ATTRACT, now);
        break;
    case FLOW_NOT_DETECTED:
        if (in_state >= f->prm.not_detected_ms) {
            if (f->prompted)
                touch_visit(f, VISIT_APP_NONE, now);
            go(f, FLOW_ATTRACT, now);
        }
        break;
    case FLOW_PROMPT_INSTALL:
    case FLOW_PROMPT_OPEN:
        if (in_state >= f->prm.prompt_ms) {
            touch_visit(f, VISIT_APP_NONE, now); /* a smartphone, and no Bluezone turned up */
            go(f, FLOW_ATTRACT, now);
        }
        break;
    case FLOW_THANKS:
        if (in_state >= f->prm.thanks_ms)
            go(f, FLOW_ATTRACT, now);
        break;
    case FLOW_NO_SMARTPHONE:
        if (in_state >= f->prm.no_smartphone_ms)
            go(f, FLOW_ATTRACT, now);
        break;
    case FLOW_CHECKOUT:
        if (in_state >= f->prm.checkout_ms)
            go(f, FLOW_ATTRACT, now);
        break;
    case FLOW_STATE_COUNT:
        break;
    }
}
