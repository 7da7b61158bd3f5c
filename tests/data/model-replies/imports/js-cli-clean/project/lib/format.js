export const format = (item) => `- ${item.title}`;
