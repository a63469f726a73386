/* gilscope: a stored run's permalink. Replays the run's recorded events into the same view a live run uses. */
import {RunView} from "./runview.js";

const view = new RunView(document.getElementById("run-view"));
view.follow(window.RUN_ID, null);
