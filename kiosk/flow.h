/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The visitor's journey at the desk, independent of any screen.
 * CONTRACT shared by the presence/flow work (issue 4) and the screens
 * (issue 7): the state machine (issue 4) says which screen shows, the
 * screens (issue 7) draw it and turn touches into flow_input values. The
 * implementation may add states, inputs and functions; keep these names. */
#ifndef BZ_FLOW_H
#define BZ_FLOW_H

#include "config.h"
#include "presence.h"
#include "record.h"

#include <stdbool.h>
#include <stdint.h>

/* One per visitor screen; names as `bzkiosk screenshot` spells them. */
enum flow_state {
    FLOW_ATTRACT = 0,    /* "attract": welcome, bring your phone close, today's figure */
    FLOW_DETECTED,       /* "detected": green, "Bluezone recorded at 08:15", chime */
    FLOW_PROMPT_INSTALL, /* "prompt-install": QR code of the install link, 3 steps */
    FLOW_PROMPT_OPEN,    /* "prompt-open": open Bluezone, turn Bluetooth on */
    FLOW_THANKS,         /* "thanks": Bluezone started after a prompt */
    FLOW_NO_SMARTPHONE,  /* "no-smartphone": visit recorded without an app */
    FLOW_CHECKOUT,       /* "checkout": goodbye, exit recorded */
    FLOW_NOT_DETECTED,   /* "not-detected": the two ways on (have it / don't have it) */
    FLOW_STATE_COUNT
};

/* What a visitor (or the staff) does. */
enum flow_input {
    FLOW_TOUCH_CHECK_IN = 0,  /* "Check in" on attract */
    FLOW_TOUCH_HAVE_APP,      /* "I have Bluezone" → prompt-open */
    FLOW_TOUCH_NO_APP,        /* "I don't have it" → prompt-install */
    FLOW_TOUCH_NO_SMARTPHONE, /* "I have no smartphone" */
    FLOW_TOUCH_CHECK_OUT,     /* "Check out" */
    FLOW_TOUCH_BACK,          /* back / done: to attract */
    FLOW_INPUT_COUNT
};

/* "attract", "detected", "prompt-install" … */
const char *flow_state_name(enum flow_state state);
/* "check-in", "have-app", "no-app", "no-smartphone", "check-out", "back". */
const char *flow_input_name(enum flow_input input);
/* Returns: 0 and the input, or -EINVAL for an unknown name. */
int flow_input_parse(const char *name, enum flow_input *input);

/* --- The state machine (kiosk/flow.c). It drives the screens and records
 * what the visitor did through the same record sink as presence; visits of
 * phones are presence's, flow marks them (prompt shown, install assisted)
 * and records the visits made by touch. Time is always passed in. --- */

struct flow_params {
    int64_t searching_ms;     /* after "Check in" with no Bluezone phone near: not-detected */
    int64_t detected_ms;      /* the green card, then attract */
    int64_t not_detected_ms;  /* nobody chose a way on: attract */
    int64_t prompt_ms;        /* a prompt stays (and watches for the app) this long */
    int64_t thanks_ms;        /* "Cảm ơn! Bluezone đã hoạt động" */
    int64_t no_smartphone_ms; /* "recorded without an app" */
    int64_t checkout_ms;      /* "goodbye" */
};

/* prompt_after_s from the settings, the rest built in. */
void flow_params_from_config(struct flow_params *fp, const struct config *cfg);

struct flow {
    struct flow_params prm;
    struct presence *presence; /* visits of phones, visit numbering */
    record_sink_fn emit;
    void *userdata;
    enum flow_state state;
    int64_t since_ms; /* when the state began */
    bool searching;   /* "Check in" was tapped on attract: looking for a phone */
    int64_t searching_since_ms;
    bool prompted;         /* a prompt was shown to the visitor at the desk */
    uint8_t prompt;        /* enum record_prompt */
    int64_t prompt_ms;     /* when */
    int64_t visitor_visit; /* the visit on screen (detected, thanks, no-smartphone, checkout) */
    int64_t visitor_entry_ms;
    uint8_t visitor_app; /* enum visit_app */
};

void flow_init(struct flow *f, const struct flow_params *prm, struct presence *presence,
               record_sink_fn emit, void *userdata, int64_t now_ms);
/* A touch. Returns: true when it changed something (false: not valid in this state). */
bool flow_input(struct flow *f, enum flow_input input, int64_t now_ms);
/* Presence produced this record (a phone's visit started …). */
void flow_record(struct flow *f, const struct record *rec, int64_t now_ms);
/* Time passes: timeouts. */
void flow_tick(struct flow *f, int64_t now_ms);

#endif
