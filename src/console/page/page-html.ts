/**
 * The console's page: a shell the script (page-script.ts) fills in. Plain HTML, no framework;
 * it is a string in the bundle so the library ships no asset files and needs no dependency.
 */
export const pageHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>memkafka console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console.css">
</head>
<body>
<header>
  <h1>memkafka <span class="thin">console</span></h1>
  <div id="summary" class="summary"></div>
  <div id="clock" class="clock"></div>
  <div id="connection" class="connection">connecting…</div>
</header>
<nav id="tabs">
  <a href="#brokers" data-tab="brokers">Brokers</a>
  <a href="#topics" data-tab="topics">Topics</a>
  <a href="#groups" data-tab="groups">Consumer groups</a>
  <a href="#timeline" data-tab="timeline">Timeline</a>
  <a href="#messages" data-tab="messages">Messages</a>
  <a href="#playback" data-tab="playback">Playback</a>
</nav>
<div id="notice" class="notice" role="status" hidden></div>
<main>
  <section id="brokers" class="tab"></section>
  <section id="topics" class="tab"></section>
  <section id="groups" class="tab"></section>
  <section id="timeline" class="tab"></section>
  <section id="messages" class="tab"></section>
  <section id="playback" class="tab"></section>
</main>
<script src="/console.js"></script>
</body>
</html>
`
