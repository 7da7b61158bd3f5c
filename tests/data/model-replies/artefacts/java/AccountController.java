package com.example.web;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.*;

@RestController
@RequestMapping("/accounts")
public class AccountController {
    private final AccountService accounts;

    public AccountController(AccountService accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/{id}")
    public ResponseEntity<Account> get(@PathVariable long id) {
        return accounts.find(id).map(ResponseEntity::ok).orElse(ResponseEntity.notFound().build());
    }

    // ... other endpoints ...

    @PostMapping("/{id}/close")
    public ResponseEntity<Void> close(@PathVariable long id) {
        accounts.close(id);
        ...
        return ResponseEntity.noContent().build();
    }
}
