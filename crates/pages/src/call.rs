//! Call: the spoken tutor's page. The tutor is `gentutor_study::call::Call` (a pure state
//! machine); this component only performs its effects: speech synthesis (voice and rate
//! settings, always with captions), speech recognition (on-device where the browser has it,
//! the cloud only after the learner opts in), a text box that always works, the visible state
//! (speaking, listening, thinking), push-to-talk, keys for every command, and interrupting.
//!
//! web-sys has no bindings for on-device recognition (`processLocally`,
//! `SpeechRecognition.available()` / `install()`, `phrases`), so the Web Speech API is bound
//! here with wasm-bindgen directly, looked up at run time (`SpeechRecognition` or the
//! prefixed `webkitSpeechRecognition`), so a browser without it simply gets the text box.
//!
//! The page lives in the lazily loaded module (the first load stays within its budget). It
//! reads the learner's progress from the app when a call starts and hands each outcome back
//! through the [`AppBridge`]; the app records it in its progress store (FSRS review, class
//! event), exactly as the other study modes' results.

use super::grade_view::GradeDetails;
use super::library::library;
use super::study::{fresh_seed, now_ms, Html};
use super::AppBridge;
use gentutor_study::call::{
    Activity, Call, CallCard, CallOptions, Command, Effect, Input, Screen, Summary,
};
use gentutor_study::display::{self, KeyPointLine};
use gentutor_study::progress::Progress;
use gentutor_web::keys::ignore_shortcut;
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The Web Speech API, bound by hand (see the module docs).
mod speech {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    #[wasm_bindgen]
    extern "C" {
        /// A `SpeechRecognition` instance.
        #[derive(Clone)]
        pub type Recognition;
        #[wasm_bindgen(method, setter)]
        pub fn set_lang(this: &Recognition, lang: &str);
        #[wasm_bindgen(method, setter = interimResults)]
        pub fn set_interim_results(this: &Recognition, on: bool);
        #[wasm_bindgen(method, setter = continuous)]
        pub fn set_continuous(this: &Recognition, on: bool);
        #[wasm_bindgen(method, setter = maxAlternatives)]
        pub fn set_max_alternatives(this: &Recognition, n: u32);
        /// Chrome 139+: recognise on the device only.
        #[wasm_bindgen(method, setter = processLocally)]
        pub fn set_process_locally(this: &Recognition, on: bool);
        /// Chrome 142+ (on-device only): words to expect.
        #[wasm_bindgen(method, setter = phrases)]
        pub fn set_phrases(this: &Recognition, phrases: &js_sys::Array);
        #[wasm_bindgen(method, setter = onresult)]
        pub fn set_onresult(this: &Recognition, f: &JsValue);
        #[wasm_bindgen(method, setter = onerror)]
        pub fn set_onerror(this: &Recognition, f: &JsValue);
        #[wasm_bindgen(method, setter = onend)]
        pub fn set_onend(this: &Recognition, f: &JsValue);
        #[wasm_bindgen(method, catch)]
        pub fn start(this: &Recognition) -> Result<(), JsValue>;
        #[wasm_bindgen(method)]
        pub fn stop(this: &Recognition);
        #[wasm_bindgen(method)]
        pub fn abort(this: &Recognition);

        /// The `SpeechRecognition` constructor, for its static methods.
        pub type RecognitionClass;
        /// `available({langs, processLocally})`: "available" | "downloadable" |
        /// "downloading" | "unavailable".
        #[wasm_bindgen(method, catch)]
        pub fn available(
            this: &RecognitionClass,
            opts: &JsValue,
        ) -> Result<js_sys::Promise, JsValue>;
        /// `install({langs, processLocally})`: downloads the on-device model.
        #[wasm_bindgen(method, catch)]
        pub fn install(this: &RecognitionClass, opts: &JsValue)
            -> Result<js_sys::Promise, JsValue>;

        /// `window.speechSynthesis`.
        pub type Synthesis;
        #[wasm_bindgen(method)]
        pub fn speak(this: &Synthesis, u: &Utterance);
        #[wasm_bindgen(method)]
        pub fn cancel(this: &Synthesis);
        #[wasm_bindgen(method, js_name = getVoices)]
        pub fn get_voices(this: &Synthesis) -> js_sys::Array;

        /// `SpeechSynthesisUtterance`.
        pub type Utterance;
        #[wasm_bindgen(constructor, js_class = "SpeechSynthesisUtterance", catch)]
        pub fn new(text: &str) -> Result<Utterance, JsValue>;
        #[wasm_bindgen(method, setter)]
        pub fn set_rate(this: &Utterance, r: f32);
        #[wasm_bindgen(method, setter)]
        pub fn set_lang(this: &Utterance, l: &str);
        #[wasm_bindgen(method, setter)]
        pub fn set_voice(this: &Utterance, v: &JsValue);
        #[wasm_bindgen(method, setter)]
        pub fn set_onend(this: &Utterance, f: &JsValue);
        #[wasm_bindgen(method, setter)]
        pub fn set_onerror(this: &Utterance, f: &JsValue);
    }

    fn global(name: &str) -> Option<JsValue> {
        let w = web_sys::window()?;
        js_sys::Reflect::get(&w, &name.into())
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    }

    /// The recogniser's constructor, if the browser has one.
    pub fn recognition_class() -> Option<JsValue> {
        global("SpeechRecognition").or_else(|| global("webkitSpeechRecognition"))
    }

    /// A new recogniser, if the browser has one.
    pub fn new_recognition() -> Option<Recognition> {
        let class = recognition_class()?;
        let f: js_sys::Function = class.dyn_into().ok()?;
        js_sys::Reflect::construct(&f, &js_sys::Array::new())
            .ok()
            .map(JsCast::unchecked_into)
    }

    /// Whether the constructor has a static method `name` (on-device support).
    pub fn class_has(name: &str) -> bool {
        recognition_class()
            .is_some_and(|c| js_sys::Reflect::get(&c, &name.into()).is_ok_and(|f| f.is_function()))
    }

    /// `new SpeechRecognitionPhrase(text, boost)` for each phrase, if the browser has it.
    pub fn phrases(list: &[String]) -> Option<js_sys::Array> {
        let class: js_sys::Function = global("SpeechRecognitionPhrase")?.dyn_into().ok()?;
        let out = js_sys::Array::new();
        for p in list {
            let args = js_sys::Array::of2(&p.as_str().into(), &JsValue::from_f64(3.0));
            if let Ok(obj) = js_sys::Reflect::construct(&class, &args) {
                out.push(&obj);
            }
        }
        Some(out)
    }

    /// `window.speechSynthesis`, if present.
    pub fn synthesis() -> Option<Synthesis> {
        global("speechSynthesis").map(JsCast::unchecked_into)
    }

    /// Options for `available()` / `install()`: English, on the device.
    pub fn local_options() -> JsValue {
        let o = js_sys::Object::new();
        let langs = js_sys::Array::of1(&"en-US".into());
        let _ = js_sys::Reflect::set(&o, &"langs".into(), &langs);
        let _ = js_sys::Reflect::set(&o, &"processLocally".into(), &JsValue::TRUE);
        o.into()
    }

    /// The final transcript and confidence of a `result` event.
    pub fn transcript(ev: &JsValue) -> Option<(String, f32, bool)> {
        let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).ok();
        let results = get(ev, "results")?;
        let index = get(ev, "resultIndex")
            .and_then(|i| i.as_f64())
            .unwrap_or(0.0) as u32;
        let result = js_sys::Reflect::get_u32(&results, index).ok()?;
        let is_final = get(&result, "isFinal")
            .and_then(|b| b.as_bool())
            .unwrap_or(true);
        let alt = js_sys::Reflect::get_u32(&result, 0).ok()?;
        let text = get(&alt, "transcript")?.as_string()?;
        let conf = get(&alt, "confidence")
            .and_then(|c| c.as_f64())
            .unwrap_or(1.0) as f32;
        Some((text, conf, is_final))
    }
}

/// How answers are heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ear {
    /// The text box only.
    Typing,
    /// The browser's on-device recogniser.
    OnDevice,
    /// The browser's cloud recogniser (the learner opted in).
    Cloud,
}

/// What the browser can do for listening.
#[derive(Debug, Clone, PartialEq)]
enum EarSupport {
    Checking,
    /// No recogniser at all.
    None,
    /// A recogniser, and what `available()` said about on-device use (None: no such API).
    Present(Option<String>),
}

/// One caption line.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    id: usize,
    tutor: bool,
    text: String,
}

/// The part of the engine that lives outside the reactive system: the call, inputs waiting to
/// be handled (effects may produce inputs, which must not re-enter `Call::on`), and whether the
/// component is still mounted (browser callbacks can arrive after it is gone).
struct Engine {
    call: Option<Call>,
    queue: VecDeque<Input>,
    busy: bool,
    alive: bool,
    /// Utterances still being spoken.
    speaking: u32,
    /// Bumped on every new speech batch or cancel, so a late `end` of old speech is ignored.
    speech_epoch: u32,
    recognition: Option<speech::Recognition>,
    /// The component's owner (held weakly): timers started from browser callbacks end with it.
    owner: gentutor_web::scoped::OwnerRef,
}

/// Signals the view reads.
#[derive(Clone, Copy)]
struct Ui {
    activity: RwSignal<Activity>,
    lines: RwSignal<Vec<Line>>,
    question: RwSignal<Option<(u32, usize, usize)>>,
    hint: RwSignal<Option<String>>,
    /// The last answer's grade: key points and the misconception note.
    graded: RwSignal<Option<(Vec<KeyPointLine>, Option<String>)>>,
    confirm: RwSignal<Option<String>>,
    explanation: RwSignal<Option<(u32, String)>>,
    summary: RwSignal<Option<Summary>>,
    recorded: RwSignal<usize>,
    ear: RwSignal<Ear>,
    rate: RwSignal<f32>,
    voice: RwSignal<String>,
    muted: RwSignal<bool>,
    /// Speech-rate multiplier from the tutor ("slower").
    slow: RwSignal<f32>,
    listening_live: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    /// The app's progress store, across the module boundary.
    app: StoredValue<AppBridge, LocalStorage>,
}

type Shared = Rc<RefCell<Engine>>;

/// Hands `input` to the call and performs the effects (and any inputs they cause) in order.
fn dispatch(engine: &Shared, ui: Ui, input: Input) {
    {
        let mut e = engine.borrow_mut();
        if !e.alive {
            return;
        }
        e.queue.push_back(input);
        if e.busy {
            return;
        }
        e.busy = true;
    }
    loop {
        let next = engine.borrow_mut().queue.pop_front();
        let Some(input) = next else { break };
        let fx = {
            let mut e = engine.borrow_mut();
            match e.call.as_mut() {
                Some(c) => c.on(input, now_ms()),
                None => Vec::new(),
            }
        };
        let mut said = Vec::new();
        for f in fx {
            perform(engine, ui, f, &mut said);
        }
        if !said.is_empty() {
            speak(engine, ui, said);
        }
        let activity = engine
            .borrow()
            .call
            .as_ref()
            .map(Call::activity)
            .unwrap_or(Activity::Idle);
        ui.activity.try_set(activity);
    }
    engine.borrow_mut().busy = false;
}

fn push_line(ui: Ui, tutor: bool, text: String) {
    ui.lines.try_update(|v| {
        let id = v.len();
        v.push(Line { id, tutor, text });
    });
}

fn perform(engine: &Shared, ui: Ui, effect: Effect, said: &mut Vec<String>) {
    match effect {
        Effect::Say { text, caption } => {
            push_line(ui, true, caption);
            said.push(text);
        }
        Effect::Listen { phrases } => listen(engine, ui, phrases),
        Effect::SetRate(r) => {
            ui.slow.try_set(r);
        }
        Effect::Record(outcome) => {
            // The app saves it (FSRS review, and the class event of mode "call").
            let saved = serde_json::to_string(&outcome)
                .map_err(|e| e.to_string())
                .and_then(|json| match ui.app.try_get_value() {
                    Some(app) => app.record_call(&json),
                    None => Ok(()),
                });
            match saved {
                Ok(()) => {
                    ui.recorded.try_update(|n| *n += 1);
                }
                Err(e) => {
                    ui.error
                        .try_set(Some(format!("This result was not saved: {e}.")));
                }
            }
        }
        Effect::Show(screen) => match screen {
            Screen::Question {
                card_id,
                number,
                total,
            } => {
                ui.question.try_set(Some((card_id, number, total)));
                ui.hint.try_set(None);
                ui.graded.try_set(None);
                ui.confirm.try_set(None);
                ui.explanation.try_set(None);
            }
            Screen::Heard { text } => push_line(ui, false, text),
            Screen::Hint { text, .. } => {
                ui.hint.try_set(Some(text));
            }
            Screen::Confirm { heard, .. } => {
                ui.confirm.try_set(Some(heard));
            }
            Screen::Graded {
                lines,
                misconception,
                ..
            } => {
                ui.graded.try_set(Some((lines, misconception)));
            }
            Screen::Explanation { card_id, lesson } => {
                ui.explanation.try_set(Some((card_id, lesson)));
            }
            Screen::Done { .. } => {
                ui.confirm.try_set(None);
            }
        },
        Effect::End(summary) => {
            ui.summary.try_set(Some(summary));
            stop_listening(engine, ui);
        }
    }
}

/// Speaks `texts` in order and reports `SpeechEnded` when all are done (at once when muted
/// or without synthesis; after a generous time limit if the browser never says it ended).
fn speak(engine: &Shared, ui: Ui, texts: Vec<String>) {
    let epoch = {
        let mut e = engine.borrow_mut();
        e.speech_epoch += 1;
        e.speaking = 0;
        e.speech_epoch
    };
    let synth = speech::synthesis();
    let muted = ui.muted.get_untracked();
    let Some(synth) = synth.filter(|_| !muted) else {
        queue_input(engine, ui, Input::SpeechEnded, 0);
        return;
    };
    let rate = (ui.rate.get_untracked() * ui.slow.get_untracked()).clamp(0.3, 2.0);
    let voice_name = ui.voice.get_untracked();
    let voice = synth.get_voices().iter().find(|v| {
        js_sys::Reflect::get(v, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .is_some_and(|n| n == voice_name)
    });
    let total_chars: usize = texts.iter().map(|t| t.len()).sum();
    let n = texts.len() as u32;
    engine.borrow_mut().speaking = n;
    for text in texts {
        let Ok(u) = speech::Utterance::new(&text) else {
            continue;
        };
        u.set_rate(rate);
        u.set_lang("en-US");
        if let Some(v) = &voice {
            u.set_voice(v);
        }
        let eng = engine.clone();
        // One handler for end and error; it belongs to the JS object (no dangling closure).
        let done = Closure::<dyn FnMut(JsValue)>::new(move |_| {
            let finished = {
                let mut e = eng.borrow_mut();
                if !e.alive || e.speech_epoch != epoch || e.speaking == 0 {
                    false
                } else {
                    e.speaking -= 1;
                    e.speaking == 0
                }
            };
            if finished {
                dispatch(&eng, ui, Input::SpeechEnded);
            }
        })
        .into_js_value();
        u.set_onend(&done);
        u.set_onerror(&done);
        synth.speak(&u);
    }
    // Some browsers never end an utterance without a voice: don't wait forever.
    let limit = 3_000 + (total_chars as f32 * 90.0 / rate) as u32;
    let eng = engine.clone();
    let owner = engine.borrow().owner.get();
    gentutor_web::scoped::spawn_in(owner.as_ref(), async move {
        gentutor_web::scoped::sleep(limit).await;
        let stuck = {
            let e = eng.borrow();
            e.alive && e.speech_epoch == epoch && e.speaking > 0
        };
        if stuck {
            eng.borrow_mut().speaking = 0;
            dispatch(&eng, ui, Input::SpeechEnded);
        }
    });
}

/// Stops the tutor talking (the learner interrupts): the call hears `SpeechEnded` at once.
fn interrupt(engine: &Shared, ui: Ui) {
    let was = {
        let mut e = engine.borrow_mut();
        e.speech_epoch += 1;
        let was = e.speaking > 0;
        e.speaking = 0;
        was
    };
    if let Some(s) = speech::synthesis() {
        s.cancel();
    }
    if was || ui.activity.get_untracked() == Activity::Speaking {
        dispatch(engine, ui, Input::SpeechEnded);
    }
}

/// Runs `input` after `ms` (0: on the next task), outside the current dispatch.
fn queue_input(engine: &Shared, ui: Ui, input: Input, ms: u32) {
    let eng = engine.clone();
    let owner = engine.borrow().owner.get();
    gentutor_web::scoped::spawn_in(owner.as_ref(), async move {
        gentutor_web::scoped::sleep(ms).await;
        dispatch(&eng, ui, input);
    });
}

/// Starts the recogniser for one answer (or, when typing, just focuses the text box).
fn listen(engine: &Shared, ui: Ui, phrases: Vec<String>) {
    let ear = ui.ear.get_untracked();
    if ear == Ear::Typing {
        focus_answer_box();
        return;
    }
    stop_listening(engine, ui);
    let Some(rec) = speech::new_recognition() else {
        ui.error.try_set(Some(
            "Speech recognition stopped working; type your answer.".into(),
        ));
        ui.ear.try_set(Ear::Typing);
        return;
    };
    rec.set_lang("en-US");
    rec.set_interim_results(false);
    rec.set_continuous(false);
    rec.set_max_alternatives(1);
    if ear == Ear::OnDevice {
        rec.set_process_locally(true);
        // Bias recognition towards the card's key terms (on-device only; the cloud refuses it).
        if let Some(list) = speech::phrases(&phrases) {
            rec.set_phrases(&list);
        }
    }
    let heard = Rc::new(RefCell::new(false));
    let (eng, h) = (engine.clone(), heard.clone());
    let onresult = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
        if let Some((text, confidence, true)) = speech::transcript(&ev) {
            *h.borrow_mut() = true;
            ui.listening_live.try_set(false);
            ui.activity.try_set(Activity::Thinking);
            dispatch(&eng, ui, Input::Heard { text, confidence });
        }
    })
    .into_js_value();
    let onerror = Closure::<dyn FnMut(JsValue)>::new(move |ev: JsValue| {
        let code = js_sys::Reflect::get(&ev, &"error".into())
            .ok()
            .and_then(|e| e.as_string())
            .unwrap_or_default();
        if !matches!(code.as_str(), "no-speech" | "aborted") {
            ui.error.try_set(Some(format!(
                "The speech recogniser reported \"{code}\". You can keep going by typing."
            )));
        }
    })
    .into_js_value();
    let (eng, h) = (engine.clone(), heard);
    let onend = Closure::<dyn FnMut(JsValue)>::new(move |_| {
        ui.listening_live.try_set(false);
        let still_ours = eng.borrow().alive;
        if still_ours && !*h.borrow() && ui.activity.get_untracked() == Activity::Listening {
            dispatch(&eng, ui, Input::Silence);
        }
    })
    .into_js_value();
    rec.set_onresult(&onresult);
    rec.set_onerror(&onerror);
    rec.set_onend(&onend);
    match rec.start() {
        Ok(()) => {
            ui.listening_live.try_set(true);
            engine.borrow_mut().recognition = Some(rec);
        }
        Err(_) => {
            ui.error.try_set(Some(
                "The microphone could not start; type your answer.".into(),
            ));
        }
    }
}

fn stop_listening(engine: &Shared, ui: Ui) {
    let rec = engine.borrow_mut().recognition.take();
    if let Some(r) = rec {
        // Detach handlers first, so this stop is not heard as silence.
        r.set_onend(&JsValue::NULL);
        r.set_onresult(&JsValue::NULL);
        r.abort();
    }
    ui.listening_live.try_set(false);
}

fn focus_answer_box() {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("call-answer"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

fn voices() -> Vec<String> {
    speech::synthesis()
        .map(|s| {
            s.get_voices()
                .iter()
                .filter_map(|v| {
                    js_sys::Reflect::get(&v, &"name".into())
                        .ok()
                        .and_then(|n| n.as_string())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The call page: settings, then the call itself.
#[component]
pub fn CallMode(
    /// Ask only this lesson's cards.
    #[prop(default = None)]
    lesson: Option<String>,
    /// The app's progress store.
    app: AppBridge,
) -> impl IntoView {
    let lib = library();
    let ui = Ui {
        activity: RwSignal::new(Activity::Idle),
        lines: RwSignal::new(Vec::new()),
        question: RwSignal::new(None),
        hint: RwSignal::new(None),
        graded: RwSignal::new(None),
        confirm: RwSignal::new(None),
        explanation: RwSignal::new(None),
        summary: RwSignal::new(None),
        recorded: RwSignal::new(0),
        ear: RwSignal::new(Ear::Typing),
        rate: RwSignal::new(1.0),
        voice: RwSignal::new(String::new()),
        muted: RwSignal::new(false),
        slow: RwSignal::new(1.0),
        listening_live: RwSignal::new(false),
        error: RwSignal::new(None),
        app: StoredValue::new_local(app),
    };
    let engine: Shared = Rc::new(RefCell::new(Engine {
        call: None,
        queue: VecDeque::new(),
        busy: false,
        alive: true,
        speaking: 0,
        speech_epoch: 0,
        recognition: None,
        owner: gentutor_web::scoped::OwnerRef::current(),
    }));
    // Closures in the view must be Send: they hold this handle, not the Rc.
    let handle_outer = StoredValue::new_local(engine.clone());
    {
        // on_cleanup needs Send: the engine stays on this thread, in local storage.
        let handle = handle_outer;
        on_cleanup(move || {
            let Some(eng) = handle.try_get_value() else {
                return;
            };
            let rec = {
                let mut e = eng.borrow_mut();
                e.alive = false;
                e.call = None;
                e.recognition.take()
            };
            if let Some(r) = rec {
                r.set_onend(&JsValue::NULL);
                r.set_onresult(&JsValue::NULL);
                r.abort();
            }
            if let Some(s) = speech::synthesis() {
                s.cancel();
            }
        });
    }

    // What the browser offers for listening.
    let support = RwSignal::new(EarSupport::Checking);
    let cloud_ok = RwSignal::new(false);
    let installing = RwSignal::new(false);
    let voice_list = RwSignal::new(voices());
    {
        gentutor_web::scoped::spawn(async move {
            let status = if speech::recognition_class().is_none() {
                EarSupport::None
            } else if speech::class_has("available") {
                let class: speech::RecognitionClass = speech::recognition_class()
                    .map(JsCast::unchecked_into)
                    .unwrap_or_else(|| JsValue::NULL.unchecked_into());
                let answer = match class.available(&speech::local_options()) {
                    Ok(p) => wasm_bindgen_futures::JsFuture::from(p)
                        .await
                        .ok()
                        .and_then(|v| v.as_string()),
                    Err(_) => None,
                };
                EarSupport::Present(Some(answer.unwrap_or_else(|| "unavailable".into())))
            } else {
                EarSupport::Present(None)
            };
            if let EarSupport::Present(Some(s)) = &status {
                if s == "available" {
                    ui.ear.try_set(Ear::OnDevice);
                }
            }
            support.try_set(status);
            // Voices load asynchronously in some browsers.
            gentutor_web::scoped::sleep(300).await;
            voice_list.try_set(voices());
        });
    }
    let owner_ref = gentutor_web::scoped::OwnerRef::current();
    let install = move |_| {
        installing.set(true);
        gentutor_web::scoped::spawn_in(owner_ref.get().as_ref(), async move {
            let class: Option<speech::RecognitionClass> =
                speech::recognition_class().map(JsCast::unchecked_into);
            let ok = match class.map(|c| c.install(&speech::local_options())) {
                Some(Ok(p)) => wasm_bindgen_futures::JsFuture::from(p)
                    .await
                    .ok()
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false),
                _ => false,
            };
            installing.try_set(false);
            if ok {
                support.try_set(EarSupport::Present(Some("available".into())));
                ui.ear.try_set(Ear::OnDevice);
            } else {
                ui.error.try_set(Some(
                    "The on-device speech model could not be installed; you can type your answers."
                        .into(),
                ));
            }
        });
    };

    let deck: Vec<CallCard> = lib
        .cards
        .iter()
        .map(|c| CallCard::new(c.clone(), lib.card_speech(c.id)))
        .collect();
    let lesson_title = lesson.as_deref().map(|l| lib.lesson_title(l).to_string());
    let start = {
        let handle = handle_outer;
        let lesson = lesson.clone();
        move || {
            let Some(engine) = handle.try_get_value() else {
                return;
            };
            let options = CallOptions {
                lesson: lesson.clone(),
                max_cards: 0,
            };
            // The progress now: results of other tabs or modes since the page opened count.
            let progress = ui
                .app
                .try_get_value()
                .ok_or_else(|| "the page is closing".to_string())
                .and_then(|app| app.progress_json())
                .map(|json| Progress::load(Some(&json), now_ms()).progress);
            let made = progress.and_then(|p| {
                Call::new(&deck, &p, &options, now_ms(), fresh_seed()).map_err(|e| e.to_string())
            });
            match made {
                Ok(call) => {
                    ui.lines.set(Vec::new());
                    ui.summary.set(None);
                    ui.recorded.set(0);
                    ui.slow.set(1.0);
                    ui.error.set(None);
                    {
                        let mut e = engine.borrow_mut();
                        e.call = Some(call);
                        e.queue.clear();
                    }
                    dispatch(&engine, ui, Input::Started);
                }
                Err(e) => ui.error.set(Some(e)),
            }
        }
    };
    let send = {
        let handle = handle_outer;
        move |input: Input| {
            let Some(engine) = handle.try_get_value() else {
                return;
            };
            // Anything the learner does interrupts the tutor.
            if ui.activity.get_untracked() == Activity::Speaking {
                let mut e = engine.borrow_mut();
                e.speech_epoch += 1;
                e.speaking = 0;
                drop(e);
                if let Some(s) = speech::synthesis() {
                    s.cancel();
                }
            }
            stop_listening(&engine, ui);
            dispatch(&engine, ui, input);
        }
    };
    let answer_text = RwSignal::new(String::new());
    let submit = {
        move || {
            let text = answer_text.get_untracked();
            if text.trim().is_empty() {
                return;
            }
            answer_text.set(String::new());
            send(Input::Typed(text));
        }
    };
    // Push-to-talk: listening on demand (also after the tutor has finished listening).
    let talk = {
        let handle = handle_outer;
        move || {
            let Some(engine) = handle.try_get_value() else {
                return;
            };
            if ui.ear.get_untracked() == Ear::Typing {
                focus_answer_box();
                return;
            }
            if ui.listening_live.get_untracked() {
                if let Some(r) = engine.borrow().recognition.as_ref() {
                    r.stop();
                }
                return;
            }
            interrupt(&engine, ui);
            let phrases = Vec::new();
            listen(&engine, ui, phrases);
            ui.activity.set(Activity::Listening);
        }
    };

    let keys = {
        let handle = handle_outer;
        window_event_listener(leptos::ev::keydown, move |ev| {
            let Some(engine) = handle.try_get_value() else {
                return;
            };
            if ev.key() == "Escape" {
                interrupt(&engine, ui);
                return;
            }
            if ignore_shortcut(&ev)
                || !matches!(
                    ui.activity.get_untracked(),
                    Activity::Speaking | Activity::Listening | Activity::Thinking
                )
            {
                return;
            }
            let cmd = match ev.key().as_str() {
                "r" => Command::Repeat,
                "s" => Command::Skip,
                "d" => Command::DontKnow,
                "l" => Command::Slower,
                "t" | " " => {
                    ev.prevent_default();
                    talk();
                    return;
                }
                _ => return,
            };
            ev.prevent_default();
            send(Input::Command(cmd));
        })
    };
    on_cleanup(move || keys.remove());

    let activity_label = move || match ui.activity.get() {
        Activity::Idle => "Ready",
        Activity::Speaking => "Speaking…",
        Activity::Listening => {
            if ui.listening_live.get() {
                "Listening… (speak now)"
            } else {
                "Your turn: answer aloud or type"
            }
        }
        Activity::Thinking => "Thinking…",
        Activity::Ended => "Call ended",
    };
    let activity_class = move || match ui.activity.get() {
        Activity::Idle => "call-state idle",
        Activity::Speaking => "call-state speaking",
        Activity::Listening => "call-state listening",
        Activity::Thinking => "call-state thinking",
        Activity::Ended => "call-state ended",
    };
    let in_call = move || !matches!(ui.activity.get(), Activity::Idle | Activity::Ended);

    let question_view = move || {
        ui.question.get().map(|(id, number, total)| {
            let html = library()
                .card_html(id)
                .map(|h| h.front.clone())
                .unwrap_or_default();
            view! {
                <div class="call-question" data-testid="call-question" data-card=id>
                    <p class="fc-side">{format!("Card {number} of {total}")}</p>
                    <Html html=html class="fc-front" />
                </div>
            }
        })
    };
    let hint_view = move || {
        ui.hint
            .get()
            .map(|h| view! { <p class="call-hint" data-testid="call-hint">"Hint: "{h}</p> })
    };
    let graded_view = move || {
        ui.graded.get().map(|(lines, misconception)| {
            view! {
                <div class="call-graded" data-testid="call-graded">
                    <GradeDetails lines=lines misconception=misconception />
                </div>
            }
        })
    };
    let confirm_view = move || {
        ui.confirm.get().map(|h| {
            view! { <p class="call-confirm" data-testid="call-confirm">"Did you say: “"{h}"”? Answer yes, or say it again."</p> }
        })
    };
    let explanation_view = move || {
        ui.explanation.get().map(|(id, lesson)| {
            let lib = library();
            let back = lib.card_html(id).map(|h| h.back.clone()).unwrap_or_default();
            let title = lib.lesson_title(lesson.split('#').next().unwrap_or("")).to_string();
            view! {
                <div class="call-explanation" data-testid="call-explanation">
                    <p class="fc-side">"Answer"</p>
                    <Html html=back class="fc-back" />
                    <p class="card-link"><a href=display::lesson_href(&lesson) data-testid="call-lesson-link">{format!("Read “{title}”")}</a></p>
                </div>
            }
        })
    };
    let summary_view = move || {
        ui.summary.get().map(|s| {
            let lines = s
                .lines
                .iter()
                .map(|l| view! { <li>{l.clone()}</li> })
                .collect_view();
            let review_links = s
                .to_review
                .iter()
                .filter_map(|(id, term)| {
                    library().card(*id).map(|c| {
                        view! { <li><a href=display::lesson_href(&c.lesson)>{term.clone()}</a></li> }
                    })
                })
                .collect_view();
            view! {
                <section class="call-summary" data-testid="call-summary" aria-live="polite">
                    <h2>"Summary"</h2>
                    <ul>{lines}</ul>
                    <Show when={
                        let n = s.to_review.len();
                        move || n > 0
                    }>
                        <p>"Lesson sections to reread:"</p>
                    </Show>
                    <ul>{review_links}</ul>
                    <p><a href="/study/spaced">"Open spaced review"</a>" · "<a href="/study">"See mastery"</a></p>
                </section>
            }
        })
    };
    let captions = move || {
        ui.lines
            .get()
            .into_iter()
            .map(|l| {
                let who = if l.tutor { "Tutor" } else { "You" };
                view! {
                    <li class=if l.tutor { "caption tutor" } else { "caption learner" } data-testid="call-caption" data-line=l.id>
                        <span class="who">{who}": "</span>{l.text}
                    </li>
                }
            })
            .collect_view()
    };

    let ear_settings = move || {
        let s = support.get();
        let note = match &s {
            EarSupport::Checking => "Checking for a speech recogniser…".to_string(),
            EarSupport::None => "This browser has no speech recogniser: type your answers (everything works by keyboard).".to_string(),
            EarSupport::Present(Some(a)) if a == "available" => "On-device speech recognition is available: your voice stays on this device.".to_string(),
            EarSupport::Present(Some(a)) if a == "downloadable" || a == "downloading" => "On-device speech recognition needs a one-time download.".to_string(),
            EarSupport::Present(_) => "This browser can only recognise speech in the cloud.".to_string(),
        };
        let downloadable =
            matches!(&s, EarSupport::Present(Some(a)) if a == "downloadable" || a == "downloading");
        let local = matches!(&s, EarSupport::Present(Some(a)) if a == "available");
        let present = matches!(s, EarSupport::Present(_));
        view! {
            <p class="hint" data-testid="call-ear-note">{note}</p>
            <Show when=move || downloadable>
                <button class="secondary" data-testid="call-install" disabled=move || installing.get() on:click=install>
                    {move || if installing.get() { "Downloading…" } else { "Download on-device speech model" }}
                </button>
            </Show>
            <fieldset class="call-ear" data-testid="call-ear">
                <legend>"Answer by"</legend>
                <label><input type="radio" name="ear" data-testid="call-ear-typing" prop:checked=move || ui.ear.get() == Ear::Typing on:change=move |_| ui.ear.set(Ear::Typing) />" typing"</label>
                <Show when=move || local>
                    <label><input type="radio" name="ear" data-testid="call-ear-local" prop:checked=move || ui.ear.get() == Ear::OnDevice on:change=move |_| ui.ear.set(Ear::OnDevice) />" voice, on this device"</label>
                </Show>
                <Show when=move || present>
                    <label class="cloud-consent">
                        <input type="checkbox" data-testid="call-cloud-consent" prop:checked=move || cloud_ok.get()
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                cloud_ok.set(on);
                                if !on && ui.ear.get_untracked() == Ear::Cloud {
                                    ui.ear.set(Ear::Typing);
                                }
                            } />
                        " I agree that my voice is sent to a third party (the browser maker's cloud speech service) to be recognised."
                    </label>
                    <label><input type="radio" name="ear" data-testid="call-ear-cloud" disabled=move || !cloud_ok.get()
                        prop:checked=move || ui.ear.get() == Ear::Cloud on:change=move |_| ui.ear.set(Ear::Cloud) />" voice, in the cloud"</label>
                </Show>
            </fieldset>
        }
    };

    let voice_options = move || {
        voice_list
            .get()
            .into_iter()
            .map(|v| view! { <option value=v.clone()>{v.clone()}</option> })
            .collect_view()
    };

    let start_btn = start.clone();
    let cmd = move |c: Command| move |_| send(Input::Command(c));
    let talk_btn = talk;

    view! {
        <section class="call" data-testid="call">
            <p>
                {match lesson_title {
                    Some(t) => format!("A spoken quiz on “{t}”: the tutor asks, listens, gives a hint when something is missing, and explains."),
                    None => "A spoken quiz: due cards first, then your weakest. The tutor asks, listens, gives a hint when something is missing, and explains.".to_string(),
                }}
            </p>
            <details class="call-settings" open=move || !in_call()>
                <summary>"Voice and listening"</summary>
                <label>"Voice "
                    <select data-testid="call-voice" on:change=move |ev| ui.voice.set(event_target_value(&ev))>
                        <option value="">"Default"</option>
                        {voice_options}
                    </select>
                </label>
                <label>"Rate "
                    <input type="range" min="0.5" max="1.5" step="0.1" data-testid="call-rate"
                        prop:value=move || ui.rate.get().to_string()
                        on:input=move |ev| ui.rate.set(event_target_value(&ev).parse().unwrap_or(1.0)) />
                    {move || format!(" {:.1}×", ui.rate.get())}
                </label>
                <label><input type="checkbox" data-testid="call-mute" prop:checked=move || ui.muted.get()
                    on:change=move |ev| ui.muted.set(event_target_checked(&ev)) />" Captions only (no voice)"</label>
                {ear_settings}
            </details>
            <div class="call-bar">
                <span class=activity_class data-testid="call-state" role="status">{activity_label}</span>
                <Show when=move || !in_call()>
                    <button data-testid="call-start" on:click={
                        let s = start_btn.clone();
                        move |_| s()
                    }>{move || if ui.summary.get().is_some() { "Call again" } else { "Start the call" }}</button>
                </Show>
            </div>
            {move || ui.error.get().map(|e| view! { <p class="error" role="alert" data-testid="call-error">{e}</p> })}
            {question_view}
            {graded_view}
            {hint_view}
            {confirm_view}
            {explanation_view}
            <Show when=in_call>
                <form class="call-answer" on:submit={
                    move |ev| {
                        ev.prevent_default();
                        submit();
                    }
                }>
                    <label for="call-answer">"Your answer"</label>
                    <input id="call-answer" type="text" autocomplete="off" data-testid="call-answer"
                        prop:value=move || answer_text.get()
                        on:input=move |ev| answer_text.set(event_target_value(&ev)) />
                    <button type="submit" data-testid="call-send">"Send"</button>
                </form>
                <div class="call-commands" role="group" aria-label="Call commands">
                    <button class="secondary" data-testid="call-talk" on:click={
                        let t = talk_btn;
                        move |_| t()
                    }>{move || if ui.listening_live.get() { "Stop listening (T)" } else { "Talk (T)" }}</button>
                    <button class="secondary" data-testid="call-repeat" on:click=cmd(Command::Repeat)>"Repeat (R)"</button>
                    <button class="secondary" data-testid="call-slower" on:click=cmd(Command::Slower)>"Slower (L)"</button>
                    <button class="secondary" data-testid="call-dontknow" on:click=cmd(Command::DontKnow)>"I don't know (D)"</button>
                    <button class="secondary" data-testid="call-skip" on:click=cmd(Command::Skip)>"Skip (S)"</button>
                    <button class="secondary" data-testid="call-stop" on:click=cmd(Command::Stop)>"End call"</button>
                </div>
                <p class="hint">"Keys outside the answer box: T talk, R repeat, L slower, D I don't know, S skip, Esc stops the tutor talking. You can also say “repeat”, “skip”, “I don't know” or “slower”."</p>
            </Show>
            <ol class="call-captions" aria-live="polite" aria-label="Captions" data-testid="call-captions">{captions}</ol>
            <p class="muted" data-testid="call-recorded">{move || format!("Results saved this call: {}", ui.recorded.get())}</p>
            {summary_view}
        </section>
    }
}
