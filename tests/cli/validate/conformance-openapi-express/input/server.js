const express = require('express');

const app = express();
const notes = new Map();

function listNotes(req, res) {
  res.json([...notes.values()]);
}

app.get('/notes', listNotes);
app.post('/notes', (req, res) => {
  notes.set(notes.size, req.body.text);
  res.status(201).end();
});
app.route('/notes/:noteId')
  .get((req, res) => res.json(notes.get(Number(req.params.noteId))))
  .delete((req, res) => {
    notes.delete(Number(req.params.noteId));
    res.status(204).end();
  });

app.listen(3000, '127.0.0.1');
