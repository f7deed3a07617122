// The project's own behaviour. Everything works without it; it only makes pages smoother.
"use strict";
