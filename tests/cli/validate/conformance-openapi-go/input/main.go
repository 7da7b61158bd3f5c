package main

import (
	"encoding/json"
	"net/http"
)

var notes = map[string]string{}

func listNotes(w http.ResponseWriter, r *http.Request) {
	json.NewEncoder(w).Encode(notes)
}

func addNote(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusCreated)
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /notes", listNotes)
	mux.HandleFunc("POST /notes", addNote)
	mux.HandleFunc("GET /notes/{id}", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(notes[r.PathValue("id")])
	})
	mux.HandleFunc("DELETE /notes/{id}", func(w http.ResponseWriter, r *http.Request) {
		delete(notes, r.PathValue("id"))
	})
	http.ListenAndServe("127.0.0.1:8080", mux)
}
