/**
 * Words the field uses for the same need. A search for any one finds all of them. Kept as data:
 * add a group, or a word to a group, and every search uses it. Each entry is one word or a
 * two-word phrase, in lower case; words are matched after stemming, so "walks" finds "walk".
 */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ["loneliness", "lonely", "isolation", "isolated", "befriending", "befriend"],
  ["exercise", "physical activity", "fitness", "keep fit"],
  ["money", "debt", "benefits", "finance", "financial"],
  ["mental health", "wellbeing", "wellness"],
  ["dementia", "memory loss", "alzheimer's"],
  ["carer", "carers", "caregiver", "caring"],
  ["housing", "homelessness", "homeless", "tenancy"],
  ["gardening", "allotment", "green space", "nature"],
  ["arts", "creative", "creativity", "culture"],
  ["volunteering", "volunteer", "volunteers"],
  ["young people", "youth", "teenagers"],
  ["older people", "elderly", "later life"],
];
