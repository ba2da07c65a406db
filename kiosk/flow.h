/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The visitor's journey at the desk, independent of any screen.
 * CONTRACT shared by the presence/flow work (issue 4) and the screens
 * (issue 7): the state machine (issue 4) says which screen shows, the
 * screens (issue 7) draw it and turn touches into flow_input values. The
 * implementation may add states, inputs and functions; keep these names. */
#ifndef BZ_FLOW_H
#define BZ_FLOW_H

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

#endif
