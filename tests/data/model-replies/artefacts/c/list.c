#include <stdlib.h>
#include <string.h>

#include "list.h"

struct node {
    void *value;
    struct node *next;
};

struct list {
    struct node *head;
    size_t length;
};

struct list *list_new(void)
{
    struct list *list = calloc(1, sizeof *list);
    return list;
}

int list_push(struct list *list, void *value)
{
    struct node *node = malloc(sizeof *node);
    if (node == NULL) {
        return -1;
    }
    node->value = value;
    node->next = list->head;
    list->head = node;
    list->length++;
    return 0;
}

/* ... rest of the list functions (pop, find, free) ... */

size_t list_length(const struct list *list)
{
    return list->length;
}

void list_sort(struct list *list, int (*compare)(const void *, const void *))
{
    /* TODO: implement merge sort */
}
