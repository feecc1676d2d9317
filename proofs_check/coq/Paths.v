(** Finite polygonal paths in parameter space: the shared notion behind every
    connectivity statement of the development.

    A parameter point is a pair (W, θ) ([param]). A path from P is the list of its further
    vertices [ps]: it runs along the straight segments P → ps₀ → ps₁ → … and ends at
    [last ps P]. [along Pr P ps] says that every point of every segment satisfies [Pr]
    (for the empty list: P itself); with [Pr p := G p <= b] this is
    "∀ segment ∀ t ∈ [0, 1], G(point on the segment) ≤ b" ([below]). [path_pt P ps k t]
    is the point t ∈ [0, 1] of segment k, so a statement can quantify over the points of
    a path explicitly.

    Main lemmas: [along_app] / [below_app] (concatenation: bounds b1, b2 give Rmax b1 b2),
    [below_seg_convex] (a segment along which G is convex stays below any b that bounds
    its two ends), [theta_seg_below] (at fixed W, F is convex in θ: ll:convex-output),
    [free_seg_F] (moving only rows with θ_i = 0 keeps F: ll:free-row along a segment),
    [ball_seg] (the unit ball of rows is convex), [F_zero_W] (F(W, 0) does not depend on
    W). The real-number library already rests on functional extensionality, which is used
    here to identify a segment's end points with its vertices. *)
Require Import Reals Lra Lia List FunctionalExtensionality.
Require Import RL.Sums RL.Model RL.Statements.
Import ListNotations.
Open Scope R_scope.

Definition param : Type := ((nat -> nat -> R) * (nat -> R))%type.

(** The point t of the straight segment from P to Q. *)
Definition seg (t : R) (P Q : param) : param :=
  (wlin t (fst P) (fst Q), thlin t (snd P) (snd Q)).

Fixpoint along (Pr : param -> Prop) (P : param) (ps : list param) : Prop :=
  match ps with
  | nil => Pr P
  | Q :: rest => (forall t, 0 <= t <= 1 -> Pr (seg t P Q)) /\ along Pr Q rest
  end.

(** G ≤ b at every point of the path. *)
Definition below (G : param -> R) (b : R) (P : param) (ps : list param) : Prop :=
  along (fun p => G p <= b) P ps.

(** F of a width-m model as a function of the point. *)
Definition Fp (N d m : nat) (X : nat -> nat -> R) (Y : nat -> R) (ell : R -> R -> R)
  (kappa : R) (p : param) : R := Fobj N d m X Y ell kappa (fst p) (snd p).

(** Rows of the point in the unit ball. *)
Definition ball_pt (d m : nat) (p : param) : Prop := in_ball d m (fst p).

(** The point t of segment k (vertex k to vertex k + 1 of P :: ps). *)
Definition path_pt (P : param) (ps : list param) (k : nat) (t : R) : param :=
  seg t (nth k (P :: ps) P) (nth (S k) (P :: ps) P).

(* ------------------------------------------------------------------ segments *)

Lemma seg_0 P Q : seg 0 P Q = P.
Proof.
  destruct P as [W th]. unfold seg, wlin, thlin. simpl. f_equal.
  - extensionality i. extensionality j. ring.
  - extensionality i. ring.
Qed.

Lemma seg_1 P Q : seg 1 P Q = Q.
Proof.
  destruct Q as [W th]. unfold seg, wlin, thlin. simpl. f_equal.
  - extensionality i. extensionality j. ring.
  - extensionality i. ring.
Qed.

Lemma wlin_same t W : wlin t W W = W.
Proof. unfold wlin. extensionality i. extensionality j. ring. Qed.

Lemma thlin_same t th : thlin t th th = th.
Proof. unfold thlin. extensionality i. ring. Qed.

(* --------------------------------------------------------------------- paths *)

Lemma along_start (Pr : param -> Prop) P ps : along Pr P ps -> Pr P.
Proof.
  destruct ps as [|Q rest]; simpl; [auto|].
  intros [H _]. rewrite <- (seg_0 P Q). apply H. lra.
Qed.

Lemma last_cons_app (P Q : param) ps : last (Q :: ps) P = last ps Q.
Proof.
  revert P Q. induction ps as [|R rest IH]; intros P Q; [reflexivity|].
  change (last (Q :: R :: rest) P) with (last (R :: rest) P). rewrite !IH. reflexivity.
Qed.

Lemma along_end (Pr : param -> Prop) P ps : along Pr P ps -> Pr (last ps P).
Proof.
  revert P. induction ps as [|Q rest IH]; intros P; [simpl; auto|].
  intros [_ H]. rewrite last_cons_app. apply IH, H.
Qed.

Lemma last_app (P : param) ps1 ps2 : last (ps1 ++ ps2) P = last ps2 (last ps1 P).
Proof.
  revert P. induction ps1 as [|Q rest IH]; intros P; [reflexivity|].
  simpl app. rewrite !last_cons_app. apply IH.
Qed.

Lemma along_app (Pr : param -> Prop) P ps1 ps2 :
  along Pr P ps1 -> along Pr (last ps1 P) ps2 -> along Pr P (ps1 ++ ps2).
Proof.
  revert P. induction ps1 as [|Q rest IH]; intros P; simpl; [auto|].
  intros [H1 H2] H3. split; [exact H1|]. apply IH; [exact H2|].
  rewrite <- last_cons_app with (P := P). exact H3.
Qed.

Lemma along_mono (Pr Pr' : param -> Prop) P ps :
  (forall p, Pr p -> Pr' p) -> along Pr P ps -> along Pr' P ps.
Proof.
  intros H. revert P. induction ps as [|Q rest IH]; intros P; simpl; [auto|].
  intros [H1 H2]. split; [intros t Ht; apply H, H1, Ht|apply IH, H2].
Qed.

Lemma along_and (Pr1 Pr2 : param -> Prop) P ps :
  along Pr1 P ps -> along Pr2 P ps -> along (fun p => Pr1 p /\ Pr2 p) P ps.
Proof.
  revert P. induction ps as [|Q rest IH]; intros P; simpl; [auto|].
  intros [H1 H2] [H3 H4]. split; [auto|apply IH; assumption].
Qed.

Lemma along_pt (Pr : param -> Prop) P ps k t :
  along Pr P ps -> (k < length ps)%nat -> 0 <= t <= 1 -> Pr (path_pt P ps k t).
Proof.
  revert P k. induction ps as [|Q rest IH]; intros P k H Hk Ht; simpl in Hk; [lia|].
  destruct H as [H1 H2]. destruct k as [|k].
  - unfold path_pt. simpl. apply H1, Ht.
  - unfold path_pt. change (nth (S k) (P :: Q :: rest) P) with (nth k (Q :: rest) P).
    change (nth (S (S k)) (P :: Q :: rest) P) with (nth (S k) (Q :: rest) P).
    rewrite (nth_indep (Q :: rest) P Q) by (simpl; lia).
    rewrite (nth_indep (Q :: rest) P Q) by (simpl; lia).
    apply (IH Q k H2); [lia|exact Ht].
Qed.

(** A path of one segment. *)
Lemma along_seg (Pr : param -> Prop) P Q :
  (forall t, 0 <= t <= 1 -> Pr (seg t P Q)) -> along Pr P [Q].
Proof.
  intros H. simpl. split; [exact H|]. rewrite <- (seg_1 P Q). apply H. lra.
Qed.

(* --------------------------------------------------------------- bounds of F *)

Lemma below_mono G b b' P ps : b <= b' -> below G b P ps -> below G b' P ps.
Proof. intros Hb. apply along_mono. intros p Hp. lra. Qed.

(** Concatenation: A → B below b1 and B → C below b2 give A → C below max(b1, b2). *)
Lemma below_app G b1 b2 P ps1 ps2 :
  below G b1 P ps1 -> below G b2 (last ps1 P) ps2 -> below G (Rmax b1 b2) P (ps1 ++ ps2).
Proof.
  intros H1 H2. apply along_app.
  - apply (below_mono G b1); [apply Rmax_l|exact H1].
  - apply (below_mono G b2); [apply Rmax_r|exact H2].
Qed.

(** Along a segment where G is convex, G stays below every b that bounds both ends. *)
Lemma below_seg_convex G b P Q :
  (forall t, 0 <= t <= 1 -> G (seg t P Q) <= (1 - t) * G P + t * G Q) ->
  G P <= b -> G Q <= b -> below G b P [Q].
Proof.
  intros Hc HP HQ. apply along_seg. intros t Ht. eapply Rle_trans; [apply Hc, Ht|]. nra.
Qed.

(** A segment along which G is constant. *)
Lemma below_seg_const G b P Q :
  (forall t, 0 <= t <= 1 -> G (seg t P Q) = G P) -> G P <= b -> below G b P [Q].
Proof. intros Hc HP. apply along_seg. intros t Ht. rewrite Hc by exact Ht. exact HP. Qed.

(** ll:convex-output on a segment: at fixed W, F is convex in θ. *)
Lemma theta_seg_convex N d m X Y ell kappa W a c t :
  convex_loss ell -> 0 < kappa -> 0 <= t <= 1 ->
  Fp N d m X Y ell kappa (seg t (W, a) (W, c))
  <= (1 - t) * Fp N d m X Y ell kappa (W, a) + t * Fp N d m X Y ell kappa (W, c).
Proof.
  intros HC Hk Ht. unfold Fp, seg. simpl. rewrite wlin_same. apply F_thlin; assumption.
Qed.

Lemma theta_seg_below N d m X Y ell kappa b W a c :
  convex_loss ell -> 0 < kappa ->
  Fp N d m X Y ell kappa (W, a) <= b -> Fp N d m X Y ell kappa (W, c) <= b ->
  below (Fp N d m X Y ell kappa) b (W, a) [(W, c)].
Proof.
  intros HC Hk Ha Hc. apply below_seg_convex; [|assumption|assumption].
  intros t Ht. apply theta_seg_convex; assumption.
Qed.

(** ll:free-row along a segment: rows i with θ_i = 0 move, the others stay; Φ and F are
    unchanged at every point. *)
Lemma Phi_free_seg d m W W' th t x :
  (forall i, (i < m)%nat -> th i = 0 \/ W i = W' i) ->
  Phi d m (wlin t W W') th x = Phi d m W th x.
Proof.
  intros H. unfold Phi. apply sum_ext. intros i Hi.
  destruct (H i Hi) as [H0|HW]; [rewrite H0; ring|].
  assert (E : wlin t W W' i = W i) by (unfold wlin; rewrite HW; extensionality j; ring).
  rewrite E. reflexivity.
Qed.

Lemma free_seg_F N d m X Y ell kappa W W' th t :
  (forall i, (i < m)%nat -> th i = 0 \/ W i = W' i) ->
  Fp N d m X Y ell kappa (seg t (W, th) (W', th)) = Fp N d m X Y ell kappa (W, th).
Proof.
  intros H. unfold Fp, seg, Fobj, risk. simpl. rewrite thlin_same.
  f_equal. apply mean_ext. intros k _. rewrite (Phi_free_seg d m W W' th t (X k) H).
  reflexivity.
Qed.

Lemma free_seg_below N d m X Y ell kappa b W W' th :
  (forall i, (i < m)%nat -> th i = 0 \/ W i = W' i) ->
  Fp N d m X Y ell kappa (W, th) <= b ->
  below (Fp N d m X Y ell kappa) b (W, th) [(W', th)].
Proof.
  intros H Hb. apply below_seg_const; [|exact Hb]. intros t _. apply free_seg_F, H.
Qed.

(** F(W, 0) = mean_k ℒ(y_k, 0): it does not depend on W. *)
Lemma F_zero_W N d m X Y ell kappa W W' :
  Fobj N d m X Y ell kappa W zero_theta = Fobj N d m X Y ell kappa W' zero_theta.
Proof.
  unfold Fobj, risk, Phi, zero_theta. f_equal. apply mean_ext. intros k _.
  f_equal. apply sum_ext. intros. ring.
Qed.

(* --------------------------------------------------------- the ball of rows *)

Lemma dot_comm d u v : dot d u v = dot d v u.
Proof. unfold dot. apply sum_ext. intros; ring. Qed.

Lemma dot_zero_self d u : dot d u u = 0 -> forall j, (j < d)%nat -> u j = 0.
Proof.
  intros H. induction d as [|d IH]; intros j Hj; [lia|].
  unfold dot in H. simpl in H.
  assert (H1 : 0 <= sum d (fun j => u j * u j)) by (apply sum_nonneg; intros; nra).
  assert (H2 : 0 <= u d * u d) by nra.
  assert (Hd : u d * u d = 0) by lra.
  destruct (Nat.eq_dec j d) as [->|Hne]; [nra|].
  apply IH; [unfold dot; lra|lia].
Qed.

(** Cauchy–Schwarz for the finite dot product. *)
Lemma cauchy_schwarz d u v : dot d u v <= norm d u * norm d v.
Proof.
  set (a := norm d u). set (c := norm d v).
  assert (Ha : 0 <= a) by apply norm_nonneg. assert (Hc : 0 <= c) by apply norm_nonneg.
  assert (Ea : a ^ 2 = dot d u u) by apply norm_sq.
  assert (Ec : c ^ 2 = dot d v v) by apply norm_sq.
  assert (H0 : 0 <= dot d (fun j => c * u j - a * v j) (fun j => c * u j - a * v j))
    by apply dot_self_nonneg.
  assert (E : dot d (fun j => c * u j - a * v j) (fun j => c * u j - a * v j)
              = c ^ 2 * dot d u u - 2 * (a * c) * dot d u v + a ^ 2 * dot d v v).
  { unfold dot. rewrite <- !sum_scal_l, <- sum_minus, <- sum_plus. apply sum_ext.
    intros; ring. }
  destruct (Req_EM_T (a * c) 0) as [Z|Z].
  - (* one of the vectors is 0 *)
    assert (Hz : a = 0 \/ c = 0) by (apply Rmult_integral; exact Z).
    assert (Hd : dot d u v = 0).
    { destruct Hz as [Hz|Hz].
      - assert (Hu : dot d u u = 0) by (rewrite <- Ea, Hz; ring).
        unfold dot. rewrite (sum_ext _ _ (fun _ => 0)), sum_zero; [reflexivity|].
        intros j Hj. rewrite (dot_zero_self d u Hu j Hj). ring.
      - assert (Hv : dot d v v = 0) by (rewrite <- Ec, Hz; ring).
        unfold dot. rewrite (sum_ext _ _ (fun _ => 0)), sum_zero; [reflexivity|].
        intros j Hj. rewrite (dot_zero_self d v Hv j Hj). ring. }
    rewrite Hd. nra.
  - assert (Hp : 0 < a * c) by (destruct (Rmult_le_pos a c Ha Hc); [assumption|lra]).
    rewrite E, <- Ea, <- Ec in H0.
    assert (0 <= 2 * (a * c) * (a * c - dot d u v)) by nra. nra.
Qed.

(** The norm of a convex combination of two rows. *)
Lemma norm_convex d u v t :
  0 <= t <= 1 ->
  norm d (fun j => (1 - t) * u j + t * v j) <= (1 - t) * norm d u + t * norm d v.
Proof.
  intros Ht. apply sq_le_sq_nonneg.
  - pose proof (norm_nonneg d u). pose proof (norm_nonneg d v). nra.
  - rewrite norm_sq.
    assert (E : dot d (fun j => (1 - t) * u j + t * v j) (fun j => (1 - t) * u j + t * v j)
                = (1 - t) ^ 2 * dot d u u + 2 * ((1 - t) * t) * dot d u v
                  + t ^ 2 * dot d v v).
    { unfold dot. rewrite <- !sum_scal_l, <- !sum_plus. apply sum_ext. intros; ring. }
    rewrite E, <- !norm_sq.
    pose proof (cauchy_schwarz d u v).
    assert (0 <= (1 - t) * t) by nra.
    assert ((1 - t) * t * dot d u v <= (1 - t) * t * (norm d u * norm d v))
      by (apply Rmult_le_compat_l; assumption).
    nra.
Qed.

Lemma ball_wlin d m W W' t :
  in_ball d m W -> in_ball d m W' -> 0 <= t <= 1 -> in_ball d m (wlin t W W').
Proof.
  intros H H' Ht i Hi. unfold wlin.
  eapply Rle_trans; [apply norm_convex, Ht|].
  pose proof (H i Hi). pose proof (H' i Hi). nra.
Qed.

(** A segment between points with rows in the ball stays in the ball. *)
Lemma ball_seg d m P Q :
  ball_pt d m P -> ball_pt d m Q -> along (ball_pt d m) P [Q].
Proof.
  intros HP HQ. apply along_seg. intros t Ht. unfold ball_pt, seg. simpl.
  apply ball_wlin; assumption.
Qed.

(** A path all of whose vertices have rows in the ball stays in the ball. *)
Fixpoint all_ball (d m : nat) (ps : list param) : Prop :=
  match ps with
  | nil => True
  | Q :: rest => ball_pt d m Q /\ all_ball d m rest
  end.

Lemma ball_path d m P ps : ball_pt d m P -> all_ball d m ps -> along (ball_pt d m) P ps.
Proof.
  revert P. induction ps as [|Q rest IH]; intros P HP Hs; simpl; [exact HP|].
  destruct Hs as [HQ Hr]. split.
  - intros t Ht. unfold ball_pt, seg. simpl. apply ball_wlin; assumption.
  - apply IH; assumption.
Qed.
