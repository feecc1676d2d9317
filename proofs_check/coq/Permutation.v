(** new:buffer-permutation, finite form: with a zero buffer unit b, the transposition of
    units u and v is three moves (u → b, v → u, b → v); each move copies the source row
    into the (zero-coefficient) destination row, then transfers the coefficient
    (ll:buffer-transfer). F is constant along the whole path, which ends at the swapped
    model (up to the buffer row, whose coefficient is 0). *)
Require Import Reals Lra Lia.
Require Import RL.Sums RL.Model RL.Statements.
Open Scope R_scope.

Definition swap_idx (u v i : nat) : nat :=
  if Nat.eqb i u then v else if Nat.eqb i v then u else i.
Definition swap_W (W : nat -> nat -> R) (u v : nat) : nat -> nat -> R :=
  fun i => W (swap_idx u v i).
Definition swap_th (th : nat -> R) (u v : nat) : nat -> R := fun i => th (swap_idx u v i).

(** Move k (k = 0, 1, 2) goes from unit [src k] to unit [dst k]. *)
Definition src (u v b k : nat) : nat := match k with O => u | 1%nat => v | _ => b end.
Definition dst (u v b k : nat) : nat := match k with O => b | 1%nat => u | _ => v end.

Fixpoint stage_W (W : nat -> nat -> R) (u v b k : nat) : nat -> nat -> R :=
  match k with
  | O => W
  | S k' => transfer_W 1 (stage_W W u v b k') (src u v b k') (dst u v b k')
  end.
Fixpoint stage_th (th : nat -> R) (u v b k : nat) : nat -> R :=
  match k with
  | O => th
  | S k' => transfer_th 1 (stage_th th u v b k') (src u v b k') (dst u v b k')
  end.
(** The point (s, t) of move k: copy with s, then transfer with t (t = 0 or s = 1). *)
Definition path_W (W : nat -> nat -> R) (u v b k : nat) (s : R) : nat -> nat -> R :=
  transfer_W s (stage_W W u v b k) (src u v b k) (dst u v b k).
Definition path_th (th : nat -> R) (u v b k : nat) (t : R) : nat -> R :=
  transfer_th t (stage_th th u v b k) (src u v b k) (dst u v b k).

Lemma F_transfer N d m X Y ell kappa s t W th u b :
  (u < m)%nat -> (b < m)%nat -> u <> b -> th b = 0 -> (t = 0 \/ s = 1) -> 0 <= t <= 1 ->
  Fobj N d m X Y ell kappa (transfer_W s W u b) (transfer_th t th u b)
  = Fobj N d m X Y ell kappa W th.
Proof.
  intros Hu Hb Hub H0 Hts Ht.
  destruct (buffer_transfer N d m X Y ell kappa s t W th u b (fun _ => 0)) as [HF _];
    auto; lra.
Qed.

Ltac eqb_cases :=
  repeat match goal with
         | |- context [Nat.eqb ?a ?b] => destruct (Nat.eqb_spec a b)
         end; subst; try lia.

(** The destination of each move has coefficient 0 when the move starts. *)
Lemma stage_dst_zero th u v b k :
  u <> v -> u <> b -> v <> b -> th b = 0 -> (k < 3)%nat ->
  stage_th th u v b k (dst u v b k) = 0.
Proof.
  intros Huv Hub Hvb H0 Hk.
  destruct k as [|[|[|k]]]; [exact H0| | |lia];
    simpl; unfold transfer_th; eqb_cases; ring.
Qed.

Lemma stage_F N d m X Y ell kappa W th u v b k :
  (u < m)%nat -> (v < m)%nat -> (b < m)%nat -> u <> v -> u <> b -> v <> b -> th b = 0 ->
  (k <= 3)%nat ->
  Fobj N d m X Y ell kappa (stage_W W u v b k) (stage_th th u v b k)
  = Fobj N d m X Y ell kappa W th.
Proof.
  intros Hu Hv Hb Huv Hub Hvb H0 Hk. induction k as [|k IH]; [reflexivity|].
  simpl. rewrite F_transfer.
  - apply IH. lia.
  - destruct k as [|[|]]; simpl; lia.
  - destruct k as [|[|]]; simpl; lia.
  - destruct k as [|[|]]; simpl; lia.
  - apply stage_dst_zero; auto; lia.
  - right; reflexivity.
  - lra.
Qed.

Lemma swap_end W th u v b :
  u <> v -> u <> b -> v <> b -> th b = 0 ->
  forall i j, i <> b ->
  stage_th th u v b 3 i = swap_th th u v i /\ stage_W W u v b 3 i j = swap_W W u v i j.
Proof.
  intros Huv Hub Hvb H0 i j Hib.
  simpl. unfold transfer_th, transfer_W, swap_th, swap_W, swap_idx.
  eqb_cases; split; ring.
Qed.

Lemma buffer_permutation :
  forall (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R) (kappa s t : R) (W : nat -> nat -> R) (th : nat -> R) (u v b k : nat),
    (u < m)%nat ->
    (v < m)%nat ->
    (b < m)%nat ->
    u <> v ->
    u <> b ->
    v <> b ->
    th b = 0 ->
    (k < 3)%nat ->
    t = 0 \/ s = 1 ->
    0 <= t <= 1 ->
    Fobj N d m X Y ell kappa W th = 0 ->
    Fobj N d m X Y ell kappa (swap_W W u v) (swap_th th u v) = 0 ->
    Fobj N d m X Y ell kappa (path_W W u v b k s) (path_th th u v b k t) - Rmax (Fobj N d m X Y ell kappa (swap_W W u v) (swap_th th u v)) (Fobj N d m X Y ell kappa W th) = 0 /\ (forall i j, i <> b -> stage_th th u v b 3 i = swap_th th u v i /\ stage_W W u v b 3 i j = swap_W W u v i j).
Proof.
  intros N d m X Y ell kappa s t W th u v b k Hu Hv Hb Huv Hub Hvb H0 Hk Hts Ht HA HB.
  split; [|apply swap_end; assumption].
  unfold path_W, path_th. rewrite F_transfer.
  - rewrite stage_F by (auto; lia). rewrite HA, HB, Rmax_left by lra. ring.
  - destruct k as [|[|]]; simpl; lia.
  - destruct k as [|[|]]; simpl; lia.
  - destruct k as [|[|[|]]]; simpl; lia.
  - apply stage_dst_zero; assumption.
  - exact Hts.
  - exact Ht.
Qed.
